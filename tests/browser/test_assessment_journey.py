"""In a real browser: a coordinator opens a self-assessment round and invites a consultant;
both answer over two sittings; the coordinator closes the round, reads the heat map and
records a priority with its goal. axe-core checks every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import Answer, AssessmentRound, Priority
from partnerships.models import Goal
from tests.assessment.assessment_helpers import answer_all, ensure_instrument
from tests.browser.conftest import (
    STEP_TIMEOUT_MS,
    assert_no_script_blocked,
    check_accessibility,
    enter_totp_code,
    label,
    sign_in_with_password,
)
from tests.partnerships.factories import MembershipFactory
from tests.survivors.factories import ConsultantProfileFactory
from tests.toolkit_portal.factories import PASSWORD, CoordinatorFactory

pytestmark = pytest.mark.browser


def rate_page(page, level):
    """Choose the same level for every statement of the page."""
    radios = page.get_by_label(level, exact=True)
    # `all()` does not wait: right after a click the previous page may still be showing.
    radios.first.wait_for()
    page.wait_for_load_state("domcontentloaded")
    for radio in radios.all():
        radio.check()


def consultant_signs_in_again(page, email):
    """The sign-in page was checked on the first sitting; type straight in."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Self-assessments to rate")).to_be_visible()


def consultant_signs_out(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()


def test_coordinator_and_consultant_rate_and_the_coordinator_sets_a_priority(
    page, browser, live_server, recorder, coordinator, partnership_x
):
    ensure_instrument()
    profile = ConsultantProfileFactory(display_name="River", monthly_capacity=5)
    # A member of the partnership rates too (outside the browser), so the combined figures
    # rest on two staff raters beside River.
    member = CoordinatorFactory(email="member.x@example.org")
    MembershipFactory(partnership=partnership_x, user=member, role="member")

    # The coordinator opens a round and invites River.
    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    page.goto("/partnerships/partnership-x/")
    page.get_by_role("link", name="Self-assessment", exact=True).click()
    expect(page.get_by_role("heading", name="Trauma-informed self-assessment")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Open a new round").click()
    check_accessibility(page)
    page.get_by_label(label("Title")).fill("Spring 2027")
    closes_on = timezone.localdate() + timedelta(days=14)
    page.get_by_label(label("Closing date")).fill(closes_on.isoformat())
    expect(page.get_by_label(coordinator.email)).to_be_checked()
    expect(page.get_by_label(member.email)).to_be_checked()
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_text("The round is open.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("River").check()
    page.get_by_label(label("Hourly rate (USD)")).fill("40")
    page.get_by_role("button", name="Send participation requests").click()
    expect(page.get_by_text("The participation requests are sent.")).to_be_visible()

    # First sitting of the coordinator: two key areas.
    page.get_by_role("link", name="The round", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Your answers").click()
    check_accessibility(page)
    page.get_by_role("link", name="Governance and leadership").click()
    check_accessibility(page)
    rate_page(page, "4 · Established")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Policy", level=1)).to_be_visible()
    rate_page(page, "3 · Developing")
    page.get_by_role("button", name="Save and return to the overview").click()
    expect(page.get_by_text("12 of 64 statements answered.")).to_be_visible()

    # River accepts the paid request, then answers in two sittings.
    other = browser.new_context(base_url=live_server.url, locale="en-US")
    other.set_default_timeout(STEP_TIMEOUT_MS)
    river = other.new_page()
    river.goto("/accounts/login/")
    sign_in_with_password(river, profile.user.email)
    river.get_by_role("link", name="Self-assessment review: Spring 2027").click()
    check_accessibility(river)
    river.get_by_role("button", name="Accept this request").click()
    expect(river.get_by_text("You accepted.")).to_be_visible()
    river.goto("/")
    expect(river.get_by_role("heading", name="Self-assessments to rate")).to_be_visible()
    check_accessibility(river)
    river.get_by_role("link", name="Partnership X: Spring 2027").click()
    river.get_by_role("link", name="Governance and leadership").click()
    rate_page(river, "2 · Beginning")
    river.get_by_role("button", name="Save and continue").click()
    expect(river.get_by_text("Your answers are saved.")).to_be_visible()
    consultant_signs_out(river)

    consultant_signs_in_again(river, profile.user.email)
    river.get_by_role("link", name="Partnership X: Spring 2027").click()
    expect(river.get_by_text("6 of 64 statements answered.")).to_be_visible()
    river.get_by_role("link", name="Financing").click()
    rate_page(river, "1 · Not yet")
    river.get_by_role("button", name="Save and return to the overview").click()
    expect(river.get_by_text("12 of 64 statements answered.")).to_be_visible()
    other.close()

    # Second sitting of the coordinator, who then closes the round.
    page.goto("/")
    page.get_by_role("link", name="Partnership X").first.click()
    expect(page.get_by_role("heading", name="Self-assessments to rate")).to_be_visible()
    page.get_by_role("link", name="Spring 2027").click()
    page.get_by_role("link", name="Financing").click()
    rate_page(page, "2 · Beginning")
    page.get_by_role("button", name="Save and return to the overview").click()
    expect(page.get_by_text("18 of 64 statements answered.")).to_be_visible()
    assert Answer.objects.count() == 30
    # The member's levels differ from the other two raters' on every statement, so the
    # scoring rule (three raters, not all alike) shows governance and financing; policy,
    # with two raters, is withheld.
    member_levels = {"governance": "5", "policy": "4", "financing": "4"}
    answer_all(
        AssessmentRound.objects.get(),
        member,
        lambda item: member_levels.get(item.key_area, ""),
    )
    page.goto("/partnerships/partnership-x/assessment/")
    page.get_by_role("link", name="Spring 2027").click()
    page.get_by_role("link", name="Close the round").click()
    check_accessibility(page)
    page.get_by_role("button", name="Close the round now").click()
    expect(page.get_by_text("The round is closed. Its results are ready.")).to_be_visible()

    # The results: the heat map, with the same numbers in a table.
    heatmap = page.get_by_role("img", name="Heat map of mean ratings: key areas by principles")
    expect(heatmap).to_be_visible()
    expect(page.locator("#heatmap-table")).to_contain_text("Financing")
    # Only shown statements are pooled: governance (4 + 2 + 5) and financing (2 + 1 + 4),
    # six statements each, make 108 / 36 ratings.
    expect(page.locator("#overall-mean")).to_have_text("3.00")
    check_accessibility(page)

    # A priority without a reason and a goal is refused; with both it is recorded.
    page.get_by_role("link", name="Action plan: priorities").click()
    check_accessibility(page)
    page.get_by_label(label("Key area")).select_option(label="Financing")
    page.get_by_role("button", name="Record the priority and its goal").click()
    expect(page.get_by_text("A priority needs a reason and a goal")).to_be_visible()
    page.get_by_label(label("Why this is a priority")).fill("Consultants wait to be paid.")
    page.get_by_label(label("Goal")).fill("Pay consultants within 30 days")
    page.get_by_label(label("4P")).select_option(label="Partnership")
    page.get_by_role("button", name="Record the priority and its goal").click()
    expect(page.get_by_text("The priority is recorded")).to_be_visible()
    check_accessibility(page)
    priority = Priority.objects.get()
    assert priority.key_area == "financing"
    assert Goal.objects.get(title="Pay consultants within 30 days").key_area == "financing"
    assert_no_script_blocked(recorder)
