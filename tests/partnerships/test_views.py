"""The partnership pages through the test client."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from partnerships.models import Goal, Membership, Organization
from survivors.models import Recommendation
from tests.auth import mfa_login
from tests.partnerships.factories import partnership_page
from tests.queries import assert_fixed_query_count
from tests.survivors.factories import ConsultantProfileFactory
from tests.toolkit_portal.factories import PendingCoordinatorFactory
from toolkit_portal.vocabulary import FourP, Sector

from .factories import (
    GoalFactory,
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    RecommendationFactory,
)


def test_coordinator_edits_the_profile(coordinator_client, partnership_x):
    profile = {"name": "Partnership X", "summary": "Working across the Western Slope."}
    profile |= {"state": "Colorado", "areas_served": "Mesa, Delta", "year_established": "2015"}
    profile |= {"contact_email": "hello@example.org", "website": "https://example.org"}
    profile |= {"focus": ["prevention", "partnership"], "is_listed": "on"}
    response = coordinator_client.post(partnership_page("edit", partnership_x), profile)
    assert response.status_code == 302
    partnership_x.refresh_from_db()
    assert partnership_x.is_listed and partnership_x.year_established == 2015
    page = coordinator_client.get(partnership_x.get_absolute_url()).content.decode()
    assert "Mesa, Delta" in page and "Prevention, Partnership" in page


def test_bad_profile_input_is_shown_not_a_500(client, coordinator, partnership_x):
    mfa_login(client, coordinator)
    response = client.post(
        reverse("partnerships:edit", args=[partnership_x.slug]),
        {"name": "", "state": "Colorado", "year_established": "12", "website": "no"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"name", "year_established", "website"}


def test_public_profile_shows_organizations_and_coverage_never_survivor_data(client, db):
    partnership = PartnershipFactory(is_listed=True)
    OrganizationFactory(partnership=partnership, name="Safe Harbor", sector=Sector.SURVIVOR_LED)
    recommendation = RecommendationFactory(partnership=partnership)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Safe Harbor" in page
    assert "Survivor-led organization" in page
    assert recommendation.consultant.display_name not in page
    assert recommendation.text not in page
    assert "Who belongs" not in page


def test_organizations_page_adds_and_removes_with_confirmation(client, coordinator, partnership_x):
    mfa_login(client, coordinator)
    url = reverse("partnerships:organizations", args=[partnership_x.slug])
    response = client.post(url, {"name": "County Schools", "sector": "education", "role": "lead"})
    assert response.status_code == 302
    organization = Organization.objects.get(name="County Schools")
    response = client.post(url, {"name": "County Schools", "sector": "education", "role": "lead"})
    assert "already a member" in response.content.decode()
    remove = reverse("partnerships:organization-remove", args=[partnership_x.slug, organization.pk])
    assert "Remove County Schools?" in client.get(remove).content.decode()
    client.post(remove)
    assert not Organization.objects.exists()


def test_other_partnerships_organization_is_not_found(client, coordinator, partnership_y):
    organization = OrganizationFactory(partnership=partnership_y)
    mfa_login(client, coordinator)
    url = reverse("partnerships:organization-edit", args=["partnership-x", organization.pk])
    assert client.get(url).status_code == 404


def test_goal_is_added_and_progress_noted(coordinator_client, partnership_x):
    client = coordinator_client
    goal = {"title": "Train every school counsellor", "four_p": "prevention"}
    goal |= {"strategy": "Two sessions a year", "owner": "Schools"}
    goal |= {"target_date": "2027-06-30", "status": "in_progress"}
    response = client.post(partnership_page("goal-create", partnership_x), goal)
    goal = Goal.objects.get()
    assert response.url == partnership_page("goal-detail", partnership_x, goal.pk)
    client.post(response.url, {"noted_on": timezone.localdate().isoformat(), "text": "First done"})
    assert goal.notes.get().text == "First done"
    page = client.get(partnership_page("goals", partnership_x)).content.decode()
    assert "Train every school counsellor" in page and "In progress: 1" in page


def test_goals_page_lists_what_is_past_target(client, coordinator, partnership_x):
    GoalFactory(
        partnership=partnership_x,
        title="Late goal",
        target_date=timezone.localdate() - timedelta(days=3),
    )
    mfa_login(client, coordinator)
    page = client.get(reverse("partnerships:goals", args=[partnership_x.slug])).content.decode()
    assert "Past the target date" in page and "Late goal" in page


def test_member_page_invites_and_refuses_removing_last_coordinator(
    client, coordinator, partnership_x, mailoutbox, django_capture_on_commit_callbacks
):
    mfa_login(client, coordinator)
    url = reverse("partnerships:members", args=[partnership_x.slug])
    page = client.get(url).content.decode()
    assert "still needs an administrator" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "second@example.org"})
    assert len(mailoutbox) == 1
    assert "second@example.org" in client.get(url).content.decode()
    membership = partnership_x.memberships.get()
    response = client.post(
        reverse("partnerships:member-remove", args=[partnership_x.slug, membership.pk]),
        follow=True,
    )
    assert "last coordinator" in response.content.decode()
    assert partnership_x.memberships.count() == 1


def test_invitation_link_leads_to_sign_up_then_joins(client, partnership_x, coordinator):
    invitation = InvitationFactory(partnership=partnership_x, email="new@example.org")
    url = invitation.get_absolute_url()
    page = client.get(url).content.decode()
    assert reverse("account_signup") in page and "approval" in page
    newcomer = PendingCoordinatorFactory(email="new@example.org")
    client.force_login(newcomer)
    response = client.post(url, follow=True)
    assert "must approve" in response.content.decode()
    assert partnership_x.memberships.filter(
        user=newcomer, role=Membership.Role.COORDINATOR
    ).exists()


def test_tampered_invitation_link_is_not_found(client, db):
    response = client.get(reverse("partnerships:invitation", args=["not-a-token"]))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_revoked_invitation_link_says_so(client, coordinator, partnership_x):
    invitation = InvitationFactory(partnership=partnership_x)
    mfa_login(client, coordinator)
    client.post(reverse("partnerships:invitation-revoke", args=[partnership_x.slug, invitation.pk]))
    client.logout()
    assert "was revoked" in client.get(invitation.get_absolute_url()).content.decode()


def test_recommendation_round_trip(client, consultant, coordinator, partnership_x):
    partnership_x.is_listed = True
    partnership_x.save()
    ConsultantProfileFactory(user=consultant, display_name="River")
    mfa_login(client, consultant)
    client.post(
        reverse("partnerships:recommendation-create"),
        {"partnership": partnership_x.pk, "text": "Meet somewhere other than the police station."},
    )
    recommendation = Recommendation.objects.get()
    client.logout()
    mfa_login(client, coordinator)
    listing = client.get(reverse("partnerships:recommendations", args=[partnership_x.slug]))
    assert "River" in listing.content.decode()
    client.post(
        reverse("partnerships:recommendation-answer", args=[partnership_x.slug, recommendation.pk]),
        {"status": "adopted", "response": "We moved to the library."},
    )
    detail = client.get(partnership_x.get_absolute_url()).content.decode()
    assert "Adopted: 1" in detail
    client.logout()
    mfa_login(client, consultant)
    mine = client.get(reverse("partnerships:my-recommendations")).content.decode()
    assert "We moved to the library." in mine and "Adopted" in mine


def test_coverage_shows_only_listed_partnerships(client, db):
    listed = PartnershipFactory(name="Listed TF", focus=[FourP.PROSECUTION])
    OrganizationFactory(partnership=listed, sector=Sector.HEALTH_CARE)
    PartnershipFactory(name="Hidden TF", is_listed=False)
    page = client.get(reverse("partnerships:coverage")).content.decode()
    assert "Listed TF" in page and "Hidden TF" not in page
    assert 'id="sector-totals"' in page


def test_reserved_slug_is_refused(client, coordinator, partnership_x):
    from django.core.exceptions import ValidationError

    partnership_x.slug = "coverage"
    try:
        partnership_x.full_clean()
    except ValidationError as error:
        assert "slug" in error.message_dict
    else:
        raise AssertionError("reserved slug accepted")


def _many_partnerships():
    for _ in range(30):
        partnership = PartnershipFactory(focus=[FourP.PREVENTION])
        OrganizationFactory(partnership=partnership, sector=Sector.EDUCATION)
        GoalFactory(partnership=partnership, four_p=FourP.PROTECTION)


def test_coverage_query_count_is_fixed(client, db, django_assert_num_queries):
    PartnershipFactory()
    assert_fixed_query_count(
        client, reverse("partnerships:coverage"), _many_partnerships, django_assert_num_queries
    )


def test_goals_page_query_count_is_fixed(
    client, coordinator, partnership_x, django_assert_num_queries
):
    GoalFactory(partnership=partnership_x)
    mfa_login(client, coordinator)

    def add_rows():
        for goal in GoalFactory.create_batch(30, partnership=partnership_x):
            goal.notes.create(text="Progress")

    assert_fixed_query_count(
        client,
        reverse("partnerships:goals", args=[partnership_x.slug]),
        add_rows,
        django_assert_num_queries,
    )


def test_members_page_query_count_is_fixed(
    client, coordinator, partnership_x, django_assert_num_queries
):
    mfa_login(client, coordinator)

    def add_rows():
        for _ in range(20):
            MembershipFactory(partnership=partnership_x, role=Membership.Role.MEMBER)
        InvitationFactory.create_batch(5, partnership=partnership_x)

    assert_fixed_query_count(
        client,
        reverse("partnerships:members", args=[partnership_x.slug]),
        add_rows,
        django_assert_num_queries,
    )


def test_public_page_counts_recommendations_without_their_words(client, db):
    partnership = PartnershipFactory(is_listed=True)
    RecommendationFactory(partnership=partnership, status="adopted", text="Private words")
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Adopted: 1" in page and "Private words" not in page


def test_approved_coordinator_joins_through_the_link(client, partnership_x, other_coordinator):
    invitation = InvitationFactory(partnership=partnership_x, email=other_coordinator.email)
    mfa_login(client, other_coordinator)
    response = client.post(invitation.get_absolute_url())
    assert response.url == partnership_x.get_absolute_url()
    assert partnership_x.is_coordinated_by(other_coordinator)


def test_signed_in_with_another_address_cannot_join(client, partnership_x, other_coordinator):
    invitation = InvitationFactory(partnership=partnership_x, email="someone@example.org")
    mfa_login(client, other_coordinator)
    assert (
        "signed in with another address"
        in client.get(invitation.get_absolute_url()).content.decode()
    )
    response = client.post(invitation.get_absolute_url(), follow=True)
    assert "another email address" in response.content.decode()
    assert not partnership_x.memberships.filter(user=other_coordinator).exists()


def test_role_change_through_the_members_page(client, coordinator, partnership_x):
    second = MembershipFactory(partnership=partnership_x)
    mfa_login(client, coordinator)
    url = reverse("partnerships:member-role", args=[partnership_x.slug, second.pk])
    client.post(url, {"role": "member"})
    second.refresh_from_db()
    assert second.role == Membership.Role.MEMBER
    response = client.post(url, {"role": "nonsense"}, follow=True)
    assert "Choose a role." in response.content.decode()


def test_organizations_and_recommendations_pages_query_counts_are_fixed(
    client, coordinator, partnership_x, django_assert_num_queries
):
    from .factories import BoardFactory

    mfa_login(client, coordinator)
    OrganizationFactory(partnership=partnership_x)
    RecommendationFactory(partnership=partnership_x)
    assert_fixed_query_count(
        client,
        reverse("partnerships:organizations", args=[partnership_x.slug]),
        lambda: OrganizationFactory.create_batch(20, partnership=partnership_x),
        django_assert_num_queries,
    )
    board = BoardFactory(partnership=partnership_x)

    def more_recommendations():
        RecommendationFactory.create_batch(10, partnership=partnership_x)
        RecommendationFactory.create_batch(
            5, partnership=partnership_x, board=board, consultant=None
        )

    assert_fixed_query_count(
        client,
        reverse("partnerships:recommendations", args=[partnership_x.slug]),
        more_recommendations,
        django_assert_num_queries,
    )


def test_consultant_recommendations_page_query_count_is_fixed(
    client, consultant, django_assert_num_queries
):
    profile = ConsultantProfileFactory(user=consultant)
    RecommendationFactory(consultant=profile)
    mfa_login(client, consultant)
    assert_fixed_query_count(
        client,
        reverse("partnerships:my-recommendations"),
        lambda: RecommendationFactory.create_batch(15, consultant=profile),
        django_assert_num_queries,
    )
