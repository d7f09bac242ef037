"""A survivor consultant's journey in Spanish, in a real browser.

The visitor switches the language on the sign-up page, signs up, fills the profile and
accepts a request with consent, all in Spanish; every page says `lang="es"` and passes
axe-core (WCAG 2.2 AA). The coordinator works in English, and the consultant's email still
comes in Spanish.
"""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from survivors import services
from survivors.models import ConsultantProfile, ParticipationRequest
from tests.browser.conftest import (
    accept_with_consent,
    check_accessibility,
    label,
    pause_without_a_date_is_refused,
    verification_link,
)
from tests.notify import send_due_notifications
from tests.survivors.factories import EngagementFactory
from tests.toolkit_portal.factories import PASSWORD
from toolkit_portal.models import User

pytestmark = pytest.mark.browser


def in_spanish(page):
    """The page is in Spanish and accessible."""
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check_accessibility(page)


def test_a_consultant_signs_up_fills_the_profile_and_accepts_in_spanish(
    page, live_server, recorder, coordinator, partnership_x
):
    email = "luz@example.org"
    page.goto("/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Español").click()

    expect(page.get_by_role("heading", name="Registrarse")).to_be_visible()
    in_spanish(page)
    expect(page.get_by_label(label("Idioma"))).to_have_value("es")
    page.get_by_label(label("Correo electrónico")).fill(email)
    page.get_by_role("radio", name=re.compile(r"^Persona consultora sobreviviente")).check()
    page.get_by_label(label("Contraseña")).fill(PASSWORD)
    page.get_by_label(label("Contraseña (de nuevo)")).fill(PASSWORD)
    page.get_by_role("button", name="Registrarse").click()

    expect(
        page.get_by_role("heading", name="Verifique su dirección de correo electrónico")
    ).to_be_visible()
    in_spanish(page)
    assert User.objects.get(email=email).language == "es"
    page.goto(
        verification_link(
            email, live_server.url, subject_contains="confirme su dirección de correo"
        )
    )
    expect(
        page.get_by_role("heading", name="Confirmar dirección de correo electrónico")
    ).to_be_visible()
    in_spanish(page)
    page.get_by_role("button", name="Confirmar").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    in_spanish(page)
    page.get_by_label(label("Correo electrónico")).fill(email)
    page.get_by_label(label("Contraseña")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión").click()

    # The dashboard asks for a profile.
    expect(page.get_by_role("heading", name="Cree su perfil")).to_be_visible()
    in_spanish(page)
    page.get_by_role("link", name="Crear mi perfil").click()

    expect(page.get_by_role("heading", name="Mi perfil", level=1)).to_be_visible()
    in_spanish(page)
    page.get_by_label(label("Nombre visible")).fill("Luz")
    page.get_by_label("Capacitar y dar charlas").check()
    page.get_by_label(label("Idiomas")).fill("español, inglés")
    page.get_by_label(label("Zonas en las que trabaja")).fill("Pueblo, Denver")
    page.get_by_label(label("Actividades al mes")).fill("2")
    # The error is in Spanish too.
    words = ("En pausa", "Crear mi perfil", "Elija la fecha en que termina su pausa.")
    pause_without_a_date_is_refused(page, email, words, check=in_spanish)

    page.get_by_label("Disponible para solicitudes").check()
    page.get_by_label("Mostrarme a la coordinación aprobada de las alianzas").check()
    page.get_by_role("button", name="Crear mi perfil").click()
    expect(page.get_by_text("La coordinación aprobada de las alianzas ya puede")).to_be_visible()
    in_spanish(page)
    profile = ConsultantProfile.objects.get(user__email=email)
    assert profile.is_listed
    assert profile.languages == ["español", "inglés"]

    # A coordinator who works in English invites Luz.
    engagement = EngagementFactory(
        partnership=partnership_x,
        title="Revisión del protocolo de acogida",
        compensation_amount=Decimal("1250.50"),
        compensation_basis="flat",
    )
    with translation.override("en"):
        request = services.send_participation_requests(
            engagement=engagement, consultants=[profile], actor=coordinator
        )[0]
    send_due_notifications()
    invitation = [m for m in mail.outbox if m.to == [profile.reach_email()]][-1]
    assert "Tiene una nueva solicitud de participación." in invitation.subject

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Inicio").click()
    expect(page.get_by_role("heading", name="Esperan su respuesta")).to_be_visible()
    in_spanish(page)
    page.get_by_role("link", name="Revisión del protocolo de acogida").click()

    expect(
        page.get_by_role("heading", name="Revisión del protocolo de acogida", level=1)
    ).to_be_visible()
    # US dollars, written as Spanish speakers in the US read them.
    expect(page.get_by_text("$1,250.50").first).to_be_visible()
    in_spanish(page)
    words = ("Se puede compartir mi historia", "Temas que no se tocan", "Nombre que se usará")
    words += ("Aceptar esta solicitud", "Usted aceptó.", "Su consentimiento")
    accept_with_consent(page, words, "Mi familia", "Luz", check=in_spanish)
    request.refresh_from_db()
    assert request.status == ParticipationRequest.Status.ACCEPTED
    assert request.consent_story_shared
    assert request.consent_off_limits == "Mi familia"
    assert recorder.page_errors == []
