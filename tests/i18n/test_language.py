"""Choosing the language: the switch on every page, the account's saved choice, and email in
the recipient's language whoever sends it."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from survivors import services as survivor_services
from tests.auth import mfa_login
from tests.notify import send_due_notifications
from tests.survivors.factories import EngagementFactory
from tests.toolkit_portal.factories import PASSWORD
from toolkit_portal import notifications
from toolkit_portal.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_every_page_has_the_switch_and_names_its_language(client):
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en' in page
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="es" lang="es">Español</button>' in page


def test_a_visitor_switches_and_the_cookie_remembers(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/partnerships/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/partnerships/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get(reverse("partnerships:list")).content.decode()
    assert '<html lang="es"' in page
    assert "Alianzas de grupos de trabajo" in page
    assert 'value="en" lang="en">English</button>' in page


def test_an_unknown_language_changes_nothing(client):
    client.post(reverse("set_language"), {"language": "xx"})
    assert '<html lang="en' in client.get(reverse("home")).content.decode()


def test_a_signed_in_person_keeps_the_language_on_every_device(client, consultant):
    mfa_login(client, consultant)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    consultant.refresh_from_db()
    assert consultant.language == "es"
    # Another device, with no cookie and an English browser: the account decides.
    client.cookies.clear()
    mfa_login(client, consultant)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="es"' in response.content.decode()
    assert "Le damos la bienvenida" in response.content.decode()
    # The device remembers it, so the pages after signing out stay in Spanish.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    client.logout()  # the test client forgets every cookie; a browser keeps this one
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert '<html lang="es"' in client.get(reverse("account_login")).content.decode()


def test_the_account_language_page(client, coordinator):
    mfa_login(client, coordinator)
    assert client.get(reverse("account-language")).status_code == 200
    response = client.post(reverse("account-language"), {"language": "es"})
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.language == "es"
    page = client.get(response.headers["Location"]).content.decode()
    assert "Se guardó su idioma." in page
    response = client.post(reverse("account-language"), {"language": "klingon"})
    assert response.status_code == 200
    assert "Escoja una opción válida" in response.content.decode()


def test_sign_up_keeps_the_language_it_was_made_in(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("account_signup")).content.decode()
    assert "Me registro como" in page
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nueva@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "consultant",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="nueva@example.org").language == "es"
    # The address-confirmation email is in Spanish too.
    assert "confirme su dirección de correo" in mail.outbox[-1].subject


def test_the_consultant_chooses_the_language_on_the_profile(client, consultant, profile):
    mfa_login(client, consultant)
    form = client.get(reverse("survivors:my-profile")).content.decode()
    assert 'name="language"' in form
    data = {
        "display_name": profile.display_name,
        "languages": "English, Spanish",
        "areas_served": "Denver",
        "monthly_capacity": 2,
        "availability": "open",
        "rate_basis": "hourly",
        "contact_email": consultant.email,
        "language": "es",
    }
    response = client.post(reverse("survivors:my-profile"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    consultant.refresh_from_db()
    assert consultant.language == "es"


def test_a_reminder_reaches_a_spanish_speaking_consultant_in_spanish(
    consultant, profile, coordinator, partnership_x, settings
):
    consultant.language = "es"
    consultant.save(update_fields=["language"])
    engagement = EngagementFactory(partnership=partnership_x, created_by=coordinator)
    # The coordinator works in English: the request and its reminder still go out in Spanish.
    with translation.override("en"):
        request = survivor_services.send_participation_requests(
            engagement=engagement, consultants=[profile], actor=coordinator
        )[0]
        send_due_notifications()
        halfway = request.sent_at + (engagement.response_deadline - request.sent_at) * 0.6
        notifications.sweep(halfway, enqueue=False)
        for pk in notifications.Notification.objects.values_list("pk", flat=True):
            notifications.deliver(pk, now=halfway)
    to_consultant = [m for m in mail.outbox if m.to == [profile.reach_email()]]
    subjects = [m.subject for m in to_consultant]
    assert any("Tiene una nueva solicitud de participación." in s for s in subjects), subjects
    reminder = next(m for m in to_consultant if "todavía espera su respuesta" in m.subject)
    assert "Hola:" in reminder.body
    assert "Ábralo en el portal:" in reminder.body
    assert "Hello" not in reminder.body
    html = reminder.alternatives[0].content
    assert '<html lang="es">' in html
    assert reminder.extra_headers["Content-Language"] == "es"


def test_an_email_to_an_english_speaker_stays_english_when_the_sender_speaks_spanish(
    consultant, profile, coordinator, partnership_x
):
    coordinator.language = "es"
    coordinator.save(update_fields=["language"])
    engagement = EngagementFactory(
        partnership=partnership_x,
        created_by=coordinator,
        starts_at=timezone.now() + timedelta(days=10),
    )
    with translation.override("es"):
        survivor_services.send_participation_requests(
            engagement=engagement, consultants=[profile], actor=coordinator
        )
        send_due_notifications()
    subjects = [m.subject for m in mail.outbox if m.to == [profile.reach_email()]]
    assert subjects and all("You have a new participation request." in s for s in subjects)


def test_dates_follow_the_language_and_money_reads_as_in_the_us():
    from datetime import date

    from django.template import Context, Template

    template = Template('{% load consultant_tags %}{{ amount|usd }} · {{ day|date:"DATE_FORMAT" }}')
    context = Context({"amount": "1234.5", "day": date(2026, 12, 4)})
    with translation.override("en"):
        assert template.render(context) == "$1,234.50 · Dec. 4, 2026"
    with translation.override("es"):
        assert template.render(context) == "$1,234.50 · 4 de diciembre de 2026"


def test_an_invitation_to_coordinate_speaks_the_invitees_language(
    coordinator, partnership_x, django_capture_on_commit_callbacks
):
    from partnerships import services as partnership_services
    from tests.toolkit_portal.factories import CoordinatorFactory

    CoordinatorFactory(email="ana@example.org", language="es")
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        partnership_services.invite_coordinator(
            partnership=partnership_x, actor=coordinator, email="ana@example.org"
        )
        partnership_services.invite_coordinator(
            partnership=partnership_x, actor=coordinator, email="new.person@example.org"
        )
    by_address = {message.to[0]: message for message in mail.outbox}
    spanish = by_address["ana@example.org"]
    assert "Le invitamos a coordinar una alianza" in spanish.subject
    assert "Le invitamos a coordinar Partnership X" in spanish.body
    # Someone without an account hears it in the inviter's language.
    assert (
        "You are invited to coordinate a partnership"
        in by_address["new.person@example.org"].subject
    )


def test_the_page_that_sends_a_code_to_re_authenticate_names_its_field(client, consultant):
    consultant.language = "es"
    consultant.save(update_fields=["language"])
    mfa_login(client, consultant)
    page = client.get(reverse("account_request_reauthentication_code")).content.decode()
    assert "Enviar el código a" in page
    assert "Recipient" not in page
