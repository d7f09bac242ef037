"""A coordinator finds a consultant, is refused over capacity, then sends a request; the
consultant's unread count changes. Every page is checked with axe-core."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from survivors.models import ParticipationRequest
from tests.browser.conftest import (
    assert_no_script_blocked,
    check_accessibility,
    enter_totp_code,
    sign_in_with_password,
)
from tests.survivors.factories import ConsultantProfileFactory, EngagementFactory
from toolkit_portal import notifications

pytestmark = pytest.mark.browser


@pytest.fixture
def journey(coordinator, partnership_x, consultant):
    profile = ConsultantProfileFactory(
        user=consultant, display_name="Maya R.", roles=["training"], monthly_capacity=1
    )
    # Another engagement in the same month already takes Maya's only slot.
    soon = timezone.now() + timedelta(hours=3)  # this month, as the directory counts
    busy = EngagementFactory(
        partnership=partnership_x,
        title="Earlier panel",
        starts_at=soon,
        response_deadline=soon - timedelta(hours=1),
    )
    ParticipationRequest.objects.create(engagement=busy, consultant=profile)
    workshop = EngagementFactory(
        partnership=partnership_x,
        title="Workshop for officers",
        starts_at=soon,
        response_deadline=soon - timedelta(hours=1),
    )
    return profile, busy, workshop


REFUSED_WORDS = {
    "en": {
        "main": "Main",
        "consultants": "Consultants",
        "directory": "Survivor consultants",
        "load": "1 of 1",
        "invite": "Send a participation request",
        "none": "None of your open engagements can take a new request.",
        "reason": "has reached the capacity they set",
        "engagement": "Engagement",
    },
    "es": {
        "main": "Principal",
        "consultants": "Personas consultoras",
        "directory": "Personas consultoras sobrevivientes",
        "load": "1 de 1",
        "invite": "Enviar una solicitud de participación",
        "none": "Ninguna de sus actividades abiertas puede recibir una nueva solicitud.",
        "reason": "llegó a la capacidad que fijó",
        "engagement": "Actividad",
    },
}


def _read_why_she_cannot_be_asked(page, coordinator, workshop, words):
    """Sign in, find Maya in the directory and read, on her profile, why she cannot be
    asked: no engagement is offered."""
    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    check_accessibility(page)

    nav = page.get_by_role("navigation", name=words["main"])
    nav.get_by_role("link", name=words["consultants"]).click()
    expect(page.get_by_role("heading", name=words["directory"])).to_be_visible()
    check_accessibility(page)
    expect(page.get_by_text(words["load"])).to_be_visible()
    page.get_by_role("link", name="Maya R.").click()
    check_accessibility(page)

    invite = page.get_by_role("region", name=words["invite"])
    expect(invite.get_by_text(words["none"])).to_be_visible()
    refused = invite.get_by_role("listitem").filter(has_text="Workshop for officers")
    expect(refused).to_contain_text(words["reason"])
    expect(invite.get_by_label(words["engagement"])).to_have_count(0)
    assert not ParticipationRequest.objects.filter(engagement=workshop).exists()


def test_coordinator_is_refused_over_capacity_then_sends_a_request(
    page, browser, live_server, recorder, coordinator, consultant, journey
):
    profile, busy, workshop = journey
    _read_why_she_cannot_be_asked(page, coordinator, workshop, REFUSED_WORDS["en"])

    # Maya's earlier request is cancelled, which frees her slot.
    page.goto(busy.get_absolute_url())
    page.get_by_role("link", name="Cancel", exact=True).click()
    check_accessibility(page)
    page.get_by_role("button", name="Cancel the request").click()
    expect(page.get_by_text("The request is cancelled.")).to_be_visible()

    # The consultant, signed in elsewhere, has nothing unread yet.
    other_context = browser.new_context(base_url=live_server.url)
    other = other_context.new_page()
    other.goto("/accounts/login/")
    sign_in_with_password(other, consultant.email)
    notifications.sweep()
    other.reload()
    before = (
        other.locator("#unread-count").inner_text()
        if other.locator("#unread-count").count()
        else "0"
    )

    page.goto(profile.get_absolute_url())
    page.get_by_label("Engagement").select_option(str(workshop.pk))
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Participation request sent to Maya R.")).to_be_visible()
    check_accessibility(page)
    assert ParticipationRequest.objects.filter(engagement=workshop, consultant=profile).exists()

    notifications.sweep()
    other.reload()
    after = other.locator("#unread-count").inner_text()
    assert int(re.match(r"\d+", after).group()) == int(re.match(r"\d+", before).group()) + 1
    other_context.close()
    assert_no_script_blocked(recorder)


def test_the_profile_says_why_she_cannot_be_asked_in_spanish(
    page, live_server, recorder, coordinator, journey
):
    coordinator.language = "es"
    coordinator.save()
    _profile, _busy, workshop = journey
    _read_why_she_cannot_be_asked(page, coordinator, workshop, REFUSED_WORDS["es"])
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_no_script_blocked(recorder)
