"""Consent that holds, in a real browser, a consultant on a phone (390 px wide):
open positions without listing her profile, the results of a round she rated found from her
dashboard, and the figures on those results that are withheld so no answer can be inferred."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from survivors.models import ConsultantProfile
from tests.assessment import assessment_helpers as helpers
from tests.browser.conftest import (
    PHONE,
    assert_no_script_blocked,
    check_accessibility,
    sign_in_with_password,
)
from tests.partnerships.factories import MembershipFactory, PositionFactory
from tests.survivors.factories import ConsultantProfileFactory
from tests.toolkit_portal.factories import CoordinatorFactory

pytestmark = pytest.mark.browser

DIGIT = re.compile(r"\d")


def test_an_unlisted_consultant_reads_an_open_position_on_a_phone(
    page, live_server, recorder, partnership_x
):
    """Point 2, jobs without exposure: listing only decides whether coordinators find her."""
    profile = ConsultantProfileFactory(display_name="Wren", is_listed=False)
    PositionFactory(
        partnership=partnership_x,
        title="Survivor program lead",
        organization="Safe Harbor",
        pay_range="$55,000–$62,000",
        how_to_apply="Send a letter to hiring@example.org",
    )
    PositionFactory(
        partnership=partnership_x,
        title="Closed outreach role",
        closes_on=timezone.localdate() - timedelta(days=1),
    )

    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    sign_in_with_password(page, profile.user.email)

    positions = page.get_by_role("region", name="Positions open to survivors")
    expect(positions).to_be_visible()
    expect(positions.get_by_text("Survivor program lead")).to_be_visible()
    expect(positions.get_by_text("Closed outreach role")).to_have_count(0)
    check_accessibility(page)

    positions.get_by_role("link", name="All open positions and how to apply").click()
    expect(page.get_by_role("heading", name="Positions open to survivors", level=1)).to_be_visible()
    expect(page.get_by_text("you do not need to list your profile to see them")).to_be_visible()
    position = page.get_by_role("article", name="Survivor program lead")
    expect(position.get_by_role("heading", name="Survivor program lead")).to_be_visible()
    expect(position).to_contain_text("Safe Harbor · Partnership X")
    expect(position).to_contain_text("$55,000–$62,000")
    expect(position.get_by_text("Lived experience counts")).to_be_visible()
    expect(position).to_contain_text("How to apply: Send a letter to hiring@example.org")
    expect(page.get_by_text("Closed outreach role")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_accessibility(page)

    # Reading positions did not list her.
    assert not ConsultantProfile.objects.get(pk=profile.pk).is_listed
    assert_no_script_blocked(recorder)


@pytest.fixture
def rated_round(coordinator, partnership_x):
    """A closed round "Spring" rated by three staff who all answered 5 (their column would
    tell each survivor what every staff member answered) and three survivors (1, 2, 3);
    every Governance statement everyone answered 4 (its mean would give every answer away).
    The first survivor is also invited to the open round "Autumn", still to rate."""
    staff = [coordinator]
    for _ in range(2):
        member = CoordinatorFactory()
        MembershipFactory(partnership=partnership_x, user=member, role="member")
        staff.append(member)
    spring = helpers.open_round(partnership_x, coordinator, title="Spring")
    profiles = helpers.survivors(3)
    raters = helpers.invite_and_accept(spring, coordinator, profiles)

    def answers(level):
        return lambda item: "4" if item.key_area == "governance" else level

    for user in staff:
        helpers.answer_all(spring, user, answers("5"))
    for rater, level in zip(raters, ["1", "2", "3"], strict=True):
        helpers.answer_all(spring, rater.user, answers(level))
    spring = helpers.close(spring, coordinator)

    autumn = helpers.open_round(partnership_x, coordinator, title="Autumn", days=30)
    helpers.invite_and_accept(autumn, coordinator, [profiles[0]])
    return spring, profiles[0]


def test_a_survivor_rater_finds_the_results_of_a_closed_round_on_a_phone(
    page, live_server, recorder, rated_round
):
    """Point 5, survivor raters find their results; point 3, no answer can be inferred."""
    spring, profile = rated_round

    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    sign_in_with_password(page, profile.user.email)

    # The closed round is among the rounds she rated, not among her unfinished work.
    to_rate = page.get_by_role("region", name="Self-assessments to rate")
    expect(to_rate).to_be_visible()
    expect(to_rate.get_by_role("link", name=re.compile("Autumn"))).to_be_visible()
    expect(to_rate.get_by_text(re.compile("Spring"))).to_have_count(0)
    rated = page.get_by_role("region", name="Self-assessments you rated")
    expect(rated).to_be_visible()
    expect(rated).to_contain_text("Partnership X: Spring")
    expect(rated.get_by_text(re.compile("Autumn"))).to_have_count(0)
    check_accessibility(page)

    rated.get_by_role("link", name="See the results").click()
    expect(page).to_have_url(re.compile(re.escape(spring.get_absolute_url()) + "$"))
    expect(
        page.get_by_role("heading", name="Self-assessment results: Spring", level=1)
    ).to_be_visible()
    expect(page.get_by_text("6 (3 staff, 3 survivor consultants)")).to_be_visible()
    check_accessibility(page)

    # Point 3: the withheld figures read as withheld, with no number in their cells.
    items = page.locator("#items-table")
    expect(items.get_by_role("columnheader", name="Staff mean")).to_be_visible()
    withheld = page.get_by_role("cell", name="withheld", exact=True)
    assert withheld.count() > 0
    for text in withheld.all_inner_texts():
        assert text.strip() == "withheld" and not DIGIT.search(text), text
    # Every statement's staff and survivor figures are withheld (the staff answered alike).
    rows = items.get_by_role("row")
    statements = rows.count() - 1
    assert statements == 64
    for index in range(1, statements + 1):
        expect(rows.nth(index).get_by_role("cell").last).to_have_text("withheld")
    # A Governance statement, answered 4 by all, shows no mean, spread or count at all.
    governance = items.get_by_role("row", name=re.compile(r"\(Governance and leadership · ")).first
    expect(governance.get_by_role("cell")).to_have_text(["withheld", "withheld"])
    # Its key area pools only the statements shown: none, so no mean and no spread.
    area = page.locator("#areas-table").get_by_role(
        "row", name=re.compile("^Governance and leadership")
    )
    expect(area.get_by_role("cell").nth(0)).to_have_text("—")
    expect(area.get_by_role("cell").nth(1)).to_have_text("—")
    # No mean of the staff (5.00), the survivors (2.00) or that key area (4.00) is printed.
    text = page.locator("main").inner_text()
    for mean in ("5.00", "2.00", "4.00"):
        assert mean not in text, mean
    expect(page.locator("#overall-mean")).to_have_text("3.50")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_script_blocked(recorder)
