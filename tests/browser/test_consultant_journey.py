"""A survivor consultant's own journey in a real browser, and the quick exit.

(a) sign up, verify the email, fill the profile and list it; (c, the consultant's half)
accept a request with consent, then see the compensation due and then paid. Every page on
the way is checked with axe-core (WCAG 2.2 AA), and no page breaks the CSP.
"""

import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from survivors import services
from survivors.models import Compensation, ConsultantProfile, ParticipationRequest, PaymentMethod
from tests.browser.conftest import (
    CONSULTANT,
    accept_with_consent,
    check_accessibility,
    enter_totp_code,
    label,
    pause_without_a_date_is_refused,
    sign_in_with_password,
    sign_up,
    verification_link,
)
from tests.survivors.factories import (
    ConsultantProfileFactory,
    EngagementFactory,
    ParticipationRequestFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def exit_url(settings, live_server):
    # No internet here: the "neutral site" is a page of the live server itself.
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return settings.QUICK_EXIT_URL


def _no_csp_violations(recorder):
    assert recorder.csp_violations == []
    assert recorder.console_csp_messages() == []
    assert recorder.page_errors == []


# Journey (a) ------------------------------------------------------------------------------------


def test_consultant_signs_up_fills_the_profile_and_lists_themselves(
    page, live_server, exit_url, recorder
):
    email = "sky@example.org"
    page.goto("/accounts/signup/")
    sign_up(page, email, CONSULTANT)

    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    check_accessibility(page)
    link = verification_link(email)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    expect(page.get_by_role("heading", name="Confirm Email Address")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    sign_in_with_password(page, email)

    # The dashboard asks for a profile.
    expect(page.get_by_role("heading", name="Create your profile")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Create my profile").click()

    expect(page.get_by_role("heading", name="My profile", level=1)).to_be_visible()
    check_accessibility(page)
    # The contact email starts as the account's; listing and the opt-in start off.
    expect(page.get_by_label(label("Contact email"))).to_have_value(email)
    expect(page.get_by_label("List me to approved coordinators")).not_to_be_checked()
    expect(
        page.get_by_label("I am open to work that involves the criminal justice system")
    ).not_to_be_checked()

    page.get_by_label(label("Display name")).fill("Sky")
    page.get_by_label(label("Pronouns")).fill("they/them")
    page.get_by_label("Training and speaking").check()
    page.get_by_label("Policy review").check()
    page.get_by_label(label("Languages")).fill("English, Spanish")
    page.get_by_label(label("Areas you serve")).fill("Denver, Aurora")
    page.get_by_label(label("Engagements a month")).fill("3")
    words = ("Paused", "Create my profile", "Choose the date your pause ends")
    pause_without_a_date_is_refused(page, email, words)

    page.get_by_label("Open to requests").check()
    page.get_by_label("A gentle reminder of an unanswered request").uncheck()
    page.get_by_label("List me to approved coordinators").check()
    page.get_by_role("button", name="Create my profile").click()

    expect(page.get_by_text("Approved coordinators can now find you.")).to_be_visible()
    expect(page.get_by_text("No coordinator has opened your profile yet.")).to_be_visible()
    check_accessibility(page)
    profile = ConsultantProfile.objects.get(user__email=email)
    assert profile.display_name == "Sky"
    assert profile.is_listed
    assert profile.languages == ["English", "Spanish"]
    assert profile.email_muted_kinds == ["request_reminder"]
    assert not profile.criminal_justice_opt_in

    page.get_by_role("link", name="Edit private details").click()
    expect(page.get_by_text("Coordinators never see these details.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label(label("Legal name")).fill("Skyler Example")
    page.get_by_role("button", name="Save private details").click()
    expect(page.get_by_text("Your private details are saved.")).to_be_visible()

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Requests").click()
    expect(page.get_by_role("heading", name="Participation requests")).to_be_visible()
    expect(page.get_by_text("No requests yet.")).to_be_visible()
    check_accessibility(page)
    nav.get_by_role("link", name="Compensation").click()
    expect(page.get_by_role("heading", name="Compensation", level=1)).to_be_visible()
    check_accessibility(page)

    page.goto("/me/delete/")
    expect(page.get_by_role("heading", name="What is kept, and why")).to_be_visible()
    check_accessibility(page)
    _no_csp_violations(recorder)


# Journey (c), the consultant's half -----------------------------------------------------------

COMPLETE_WORDS = {
    "en": {
        "complete": "Mark completed",
        "hours": "Hours worked",
        "done": "The engagement is completed; compensation is due by %s",
    },
    "es": {
        "complete": "Marcar como completada",
        "hours": "Horas trabajadas",
        "done": "Se completó la actividad; el pago vence el %s",
    },
}


def _complete_and_read_the_due_date(office, engagement, request, language):
    """The coordinator, signed in on `office`, completes the engagement; the message names
    the day compensation is due, as the page writes dates in her language."""
    words = COMPLETE_WORDS[language]
    office.goto(engagement.get_absolute_url())
    check_accessibility(office)
    office.get_by_role("link", name=words["complete"]).click()
    check_accessibility(office)
    office.get_by_label(re.compile(rf"^\s*{words['hours']}")).fill("3")
    office.get_by_role("button", name=words["complete"]).click()
    compensation = Compensation.objects.get(request=request)
    # "Jan. 4, 2027" in English, "4 de enero de 2027" in Spanish.
    with translation.override(language):
        due = f"{date_format(compensation.due_on)}."
    expect(office.get_by_text(words["done"] % due)).to_be_visible()
    check_accessibility(office)
    return compensation


def test_consultant_accepts_the_coordinator_completes_and_pays_the_consultant_sees_it(
    page, live_server, exit_url, recorder, coordinator, partnership_x
):
    profile = ConsultantProfileFactory(display_name="River")
    user = profile.user
    engagement = EngagementFactory(
        partnership=partnership_x,
        title="Shelter intake review",
        content_notes="Describes intake interviews after a raid.",
        compensation_amount=Decimal("60.00"),
        estimated_hours=Decimal("3.00"),
    )
    request = services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )[0]

    page.goto("/accounts/login/")
    sign_in_with_password(page, user.email)
    expect(page.get_by_role("heading", name="Waiting for your answer")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Shelter intake review").click()

    expect(page.get_by_role("heading", name="Shelter intake review", level=1)).to_be_visible()
    expect(page.get_by_text("Describes intake interviews after a raid.")).to_be_visible()
    expect(page.get_by_text("$180.00")).to_be_visible()
    check_accessibility(page)
    words = ("My story may be shared", "Topics that are off limits", "Name to use")
    words += ("Accept this request", "You accepted.", "Your consent")
    accept_with_consent(page, words, "My family", "River")
    request.refresh_from_db()
    assert request.status == ParticipationRequest.Status.ACCEPTED
    assert request.consent_off_limits == "My family"

    # The engagement takes place; the coordinator completes it.
    started = timezone.now() - timedelta(days=1)
    type(engagement).objects.filter(pk=engagement.pk).update(
        starts_at=started,
        ends_at=started + timedelta(hours=3),
        response_deadline=started - timedelta(days=1),
    )
    coordinator_context = page.context.browser.new_context(base_url=live_server.url)
    office = coordinator_context.new_page()
    office.goto("/accounts/login/")
    sign_in_with_password(office, coordinator.email)
    enter_totp_code(office)
    compensation = _complete_and_read_the_due_date(office, engagement, request, "en")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compensation").click()
    expect(page.get_by_role("heading", name="Compensation", level=1)).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Shelter intake review"))
    expect(row).to_contain_text("$180.00")
    expect(row).to_contain_text("Due")
    check_accessibility(page)
    row.get_by_role("link", name="Shelter intake review").click()
    expect(page.get_by_text(re.compile(r"^Due by"))).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Gift card or voucher").check()
    page.get_by_role("button", name="Save how to be paid").click()
    expect(page.get_by_text("Your choice is saved.")).to_be_visible()
    compensation.refresh_from_db()
    assert compensation.payment_method == PaymentMethod.GIFT_CARD

    # The coordinator records the payment, by the method the consultant chose.
    office.get_by_role("navigation", name="Main").get_by_role("link", name="Compensation").click()
    check_accessibility(office)
    office.get_by_role("row", name=re.compile("Shelter intake review")).get_by_role(
        "link", name="Mark paid"
    ).click()
    expect(office.get_by_label(re.compile(r"^\s*Paid by"))).to_have_value("gift_card")
    check_accessibility(office)
    office.get_by_label(re.compile(r"^\s*Reference")).fill("Card 0042")
    office.get_by_role("button", name="Record payment").click()
    expect(office.get_by_text("The payment is recorded")).to_be_visible()
    coordinator_context.close()
    page.reload()
    expect(page.get_by_text(re.compile(r"^Paid on .* by Gift card or voucher\."))).to_be_visible()
    expect(page.get_by_role("heading", name="Not received?")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Compensation", exact=True).first.click()
    expect(page.get_by_role("row", name=re.compile("Shelter intake review"))).to_contain_text(
        "Paid"
    )
    expect(page.locator("#year-heading + p")).to_have_text("$180.00")
    check_accessibility(page)
    _no_csp_violations(recorder)


def test_the_completion_names_the_due_date_in_spanish(
    page, live_server, recorder, coordinator, partnership_x
):
    coordinator.language = "es"
    coordinator.save()
    started = timezone.now() - timedelta(days=1)
    request = ParticipationRequestFactory(
        engagement=EngagementFactory(
            partnership=partnership_x,
            starts_at=started,
            ends_at=started + timedelta(hours=3),
            response_deadline=started - timedelta(days=1),
        ),
        status=ParticipationRequest.Status.ACCEPTED,
    )
    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    _complete_and_read_the_due_date(page, request.engagement, request, "es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    _no_csp_violations(recorder)


# Quick exit ---------------------------------------------------------------------------------------


def _first_tab_stop(page):
    page.keyboard.press("Tab")
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_quick_exit_by_click_blanks_the_page_and_replaces_the_history(
    page, live_server, exit_url, recorder
):
    page.goto("/")
    page.goto("/partnerships/")
    check_accessibility(page)
    # What the page showed as it was left, kept across the navigation (same origin here).
    page.evaluate(
        """() => window.addEventListener("pagehide", () => sessionStorage.setItem(
            "left", JSON.stringify([document.body.childElementCount, document.title])))"""
    )
    page.get_by_role("link", name="Leave this site").click()
    expect(page).to_have_url(exit_url)
    # Nothing of the portal was left on screen while the neutral site loaded.
    assert page.evaluate("() => JSON.parse(sessionStorage.getItem('left'))") == [0, ""]
    # location.replace: Back skips the page that was left.
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/")
    _no_csp_violations(recorder)


def test_quick_exit_is_the_first_tab_stop_and_works_with_enter(
    page, live_server, exit_url, consultant
):
    page.goto("/accounts/login/")
    sign_in_with_password(page, consultant.email)
    page.goto("/me/profile/")
    expect(page.get_by_role("heading", name="My profile", level=1)).to_be_visible()
    assert _first_tab_stop(page) == "Leave this site"
    page.keyboard.press("Enter")
    expect(page).to_have_url(exit_url)


def test_quick_exit_by_pressing_shift_three_times(page, live_server, exit_url):
    page.goto("/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    expect(page).to_have_url(f"{live_server.url}/")  # two presses are not enough
    page.keyboard.press("Shift")
    expect(page).to_have_url(exit_url)


def test_typing_capitals_does_not_leave(page, live_server, exit_url):
    page.goto("/accounts/login/")
    page.get_by_label("Email").click()
    for letter in "ABC":
        page.keyboard.press(f"Shift+{letter}")
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_quick_exit_works_as_a_plain_link_without_javascript(browser, live_server, exit_url):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name="Leave this site").click()
        expect(page).to_have_url(exit_url)
    finally:
        context.close()


def test_no_quick_exit_for_coordinators(page, live_server, exit_url, coordinator):
    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    expect(page.get_by_role("heading", name="Your partnerships")).to_be_visible()
    expect(page.get_by_role("link", name="Leave this site")).to_have_count(0)
    assert _first_tab_stop(page) != "Leave this site"


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_fit_a_phone_and_a_desktop(page, live_server, exit_url, width, partnership_x):
    """Every /me/ page at phone and desktop width: axe-clean and nothing scrolls sideways.
    With SCREENSHOT_DIR set, each page is also saved there for a person to look at."""
    profile = ConsultantProfileFactory(display_name="Sky")
    engagement = EngagementFactory(
        partnership=partnership_x, content_notes="Discusses recruitment through social media."
    )
    request = ParticipationRequestFactory(engagement=engagement, consultant=profile)
    done = ParticipationRequestFactory(
        consultant=profile,
        engagement=EngagementFactory(partnership=partnership_x, title="Panel on outreach"),
        status=ParticipationRequest.Status.COMPLETED,
    )
    compensation = Compensation.objects.create(
        request=done,
        partnership=partnership_x,
        consultant=profile,
        fee=Decimal("150"),
        amount=Decimal("150"),
        due_on=timezone.localdate() - timedelta(days=2),
    )
    screenshots = os.environ.get("SCREENSHOT_DIR")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    sign_in_with_password(page, profile.user.email)
    for name, address in [
        ("dashboard", "/"),
        ("profile", "/me/profile/"),
        ("private", "/me/private/"),
        ("requests", "/me/requests/"),
        ("request", request.get_absolute_url()),
        ("completed", done.get_absolute_url()),
        ("compensation", "/me/compensation/"),
        ("payment", compensation.get_absolute_url()),
        ("delete", "/me/delete/"),
    ]:
        page.goto(address)
        check_accessibility(page)
        if screenshots:
            page.screenshot(path=f"{screenshots}/consultant-{name}-{width}.png", full_page=True)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{address} scrolls sideways at {width}px"
