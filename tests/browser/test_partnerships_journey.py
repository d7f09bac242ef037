"""In a real browser: a coordinator edits the profile, adds organizations in three
sectors and sees the missing ones, adds a goal, invites a second coordinator who signs up
through the link, and answers a consultant's recommendation. axe-core checks every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from partnerships.models import Membership
from survivors.models import Recommendation
from tests.browser.conftest import (
    COORDINATOR,
    PASSWORD_LABEL,
    assert_no_script_blocked,
    check_accessibility,
    enter_totp_code,
    label,
    sign_in_with_password,
    sign_up,
    totp_code,
)
from tests.partnerships.factories import RecommendationFactory
from tests.survivors.factories import ConsultantProfileFactory
from tests.toolkit_portal.factories import PASSWORD
from toolkit_portal.models import User

pytestmark = pytest.mark.browser


def _link_in_mail(address, pattern):
    for message in mail.outbox:
        if address in message.to:
            match = re.search(pattern, message.body)
            if match:
                return re.sub(r"^https?://[^/]+", "", match.group(0))
    raise AssertionError([(m.to, m.subject) for m in mail.outbox])


def test_coordinator_runs_the_partnership(
    page, live_server, recorder, coordinator, partnership_x, consultant
):
    recommendation = RecommendationFactory(
        partnership=partnership_x,
        consultant=ConsultantProfileFactory(user=consultant, display_name="River"),
        text="Meet somewhere other than the police station.",
    )

    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    expect(page.get_by_role("heading", name="Your partnerships")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Partnership X").click()

    # The profile.
    expect(page.get_by_role("heading", name="Partnership X", level=1)).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Edit profile").click()
    check_accessibility(page)
    page.get_by_label(label("Areas served")).fill("Mesa, Delta")
    page.get_by_label("Prevention").check()
    page.get_by_label(label("Year established")).fill("2016")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("The partnership's profile is saved.")).to_be_visible()
    expect(page.get_by_text("Mesa, Delta")).to_be_visible()
    check_accessibility(page)

    # Organizations in three sectors; the missing sectors are listed.
    page.get_by_role("link", name="Organizations").click()
    for name, sector in [
        ("Mesa Police", "Law enforcement"),
        ("Safe Harbor", "Victim services"),
        ("County Schools", "Education"),
    ]:
        check_accessibility(page)
        page.get_by_label(label("Name")).fill(name)
        page.get_by_label(label("Sector")).select_option(label=sector)
        page.get_by_role("button", name="Add organization").click()
        expect(page.get_by_text("The organization is added.")).to_be_visible()
    present = page.locator("#sectors-present")
    missing = page.locator("#sectors-missing")
    for sector in ["Law enforcement", "Victim services", "Education"]:
        expect(present).to_contain_text(sector)
        expect(missing).not_to_contain_text(sector)
    expect(missing).to_contain_text("Health care")
    expect(missing).to_contain_text("Survivor-led organization")
    check_accessibility(page)

    # A goal.
    page.get_by_role("link", name="Goals").click()
    check_accessibility(page)
    page.get_by_role("link", name="Add a goal").click()
    check_accessibility(page)
    page.get_by_label(label("Goal")).fill("Train every school counsellor")
    page.get_by_label(label("4P")).select_option(label="Prevention")
    page.get_by_label(label("Owner")).fill("County Schools")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("heading", name="Train every school counsellor")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Goals").click()
    expect(page.get_by_role("link", name="Train every school counsellor")).to_be_visible()
    check_accessibility(page)

    # Answer the consultant's recommendation.
    page.get_by_role("link", name="Recommendations").click()
    check_accessibility(page)
    page.get_by_role("link", name=re.compile(r"^Answer")).click()
    check_accessibility(page)
    page.get_by_label(label("Status")).select_option(label="Adopted")
    page.get_by_label(label("Response")).fill("We now meet at the library.")
    page.get_by_role("button", name="Save answer").click()
    expect(page.get_by_text("Your answer is saved")).to_be_visible()
    check_accessibility(page)
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ADOPTED

    # Invite a second coordinator.
    page.get_by_role("link", name="Members").click()
    check_accessibility(page)
    expect(page.get_by_text("still needs an administrator's approval")).to_be_visible()
    page.get_by_label(label("Email address of the person to invite")).fill("second@example.org")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("The invitation is sent.")).to_be_visible()
    check_accessibility(page)
    invitation_path = _link_in_mail(
        "second@example.org", r"https?://\S+/partnerships/invitations/\S+/"
    )
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()

    # The invitee signs up through the link.
    page.goto(invitation_path)
    expect(
        page.get_by_role("heading", name="Invitation to coordinate Partnership X")
    ).to_be_visible()
    check_accessibility(page)
    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    sign_up(page, "second@example.org", COORDINATOR)
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    page.goto(_link_in_mail("second@example.org", r"https?://\S+/accounts/confirm-email/[^/\s]+/"))
    page.get_by_role("button", name="Confirm").click()
    sign_in_with_password(page, "second@example.org")
    # A coordinator enrols a second factor before anything else.
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label(re.compile(r"^\s*Authenticator code")).fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()

    page.goto(invitation_path)
    check_accessibility(page)
    expect(page.get_by_text("needs an administrator's approval")).to_be_visible()
    page.get_by_role("button", name="Join the partnership").click()
    expect(
        page.get_by_text("An administrator must approve your coordinator account")
    ).to_be_visible()
    check_accessibility(page)
    second = User.objects.get(email="second@example.org")
    assert second.is_pending_coordinator
    assert partnership_x.memberships.filter(user=second, role=Membership.Role.COORDINATOR).exists()
    assert_no_script_blocked(recorder)


def test_public_sees_listed_partnerships_and_coverage(page, live_server, recorder, db):
    from tests.partnerships.factories import OrganizationFactory, PartnershipFactory

    listed = PartnershipFactory(name="Listed Task Force", focus=["prevention"])
    OrganizationFactory(partnership=listed, sector="education")
    PartnershipFactory(name="Private Task Force", is_listed=False)
    page.goto("/partnerships/")
    check_accessibility(page)
    expect(page.get_by_role("link", name="Listed Task Force")).to_be_visible()
    expect(page.get_by_text("Private Task Force")).to_have_count(0)
    page.get_by_role("link", name=re.compile("statewide coverage")).click()
    expect(page.get_by_role("heading", name="Statewide coverage")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Listed Task Force").first.click()
    check_accessibility(page)
    assert_no_script_blocked(recorder)


def test_boards_positions_and_the_consultants_side(
    page, live_server, recorder, coordinator, partnership_x, consultant
):
    from tests.partnerships.factories import BoardMemberFactory, PositionFactory

    partnership_x.is_listed = True
    partnership_x.save()
    profile = ConsultantProfileFactory(user=consultant, display_name="River")

    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    page.goto(f"/partnerships/{partnership_x.slug}/boards/")
    check_accessibility(page)
    page.get_by_label(label("Name")).fill("Survivor Leader Board")
    page.get_by_label(label("Survivor seats")).fill("1")
    page.get_by_role("button", name="Set up board").click()
    expect(page.get_by_text("fewer than two survivor seats")).to_be_visible()
    check_accessibility(page)
    board = partnership_x.boards.get()
    BoardMemberFactory(board=board, consultant=profile)
    page.get_by_label(label("The board's recommendation")).fill("Meet in the evening.")
    page.get_by_role("button", name="Record the board's recommendation").click()
    expect(page.get_by_text("River")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Schedule a meeting and offer its seats").click()
    check_accessibility(page)

    page.goto(f"/partnerships/{partnership_x.slug}/positions/")
    check_accessibility(page)
    page.get_by_label(label("Title")).fill("Survivor program lead")
    page.get_by_label(label("Organization")).fill("Safe Harbor")
    page.get_by_label(label("Pay range")).fill("$55,000 a year")
    page.get_by_label(label("How to apply")).fill("Send a letter")
    page.get_by_label(label("Closing date")).fill("2099-01-31")
    page.get_by_label(re.compile("lived experience counts", re.IGNORECASE)).check()
    page.get_by_role("button", name="Post position").click()
    expect(page.get_by_text("The position is posted.")).to_be_visible()
    check_accessibility(page)
    # The remaining management pages, each checked with axe.
    from tests.partnerships.factories import GoalFactory, OrganizationFactory

    organization = OrganizationFactory(partnership=partnership_x)
    goal = GoalFactory(partnership=partnership_x)
    membership = partnership_x.memberships.get()
    base = f"/partnerships/{partnership_x.slug}"
    for address in [
        f"{base}/",
        f"{base}/edit/",
        f"{base}/organizations/{organization.pk}/edit/",
        f"{base}/organizations/{organization.pk}/remove/",
        f"{base}/goals/{goal.pk}/",
        f"{base}/goals/{goal.pk}/edit/",
        f"{base}/members/{membership.pk}/remove/",
        f"{base}/boards/{board.pk}/edit/",
        f"{base}/recommendations/",
        "/partnerships/invitations/not-a-token/",
        "/partnerships/coverage/",
    ]:
        page.goto(address)
        check_accessibility(page)
    page.goto("/")
    check_accessibility(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()

    PositionFactory(partnership=partnership_x, title="Closed role", closes_on="2000-01-01")
    page.goto("/accounts/login/")
    sign_in_with_password(page, consultant.email)
    expect(page.get_by_text("Survivor program lead")).to_be_visible()
    expect(page.get_by_text("Closed role")).to_have_count(0)
    check_accessibility(page)
    page.get_by_role("link", name="All open positions and how to apply").click()
    check_accessibility(page)
    page.goto("/partnerships/recommendations/")
    expect(page.get_by_text("Meet in the evening.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Record a recommendation").click()
    check_accessibility(page)
    page.get_by_label(label("Partnership")).select_option(label="Partnership X")
    page.get_by_label(label("Your recommendation")).fill("Pay preparation time.")
    page.get_by_role("button", name="Send recommendation").click()
    expect(page.get_by_text("Your recommendation is recorded.")).to_be_visible()
    check_accessibility(page)
    assert Recommendation.objects.filter(consultant=profile).count() == 1
    assert_no_script_blocked(recorder)
