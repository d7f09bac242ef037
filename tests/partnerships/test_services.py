"""The partnership rules, called as plain functions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from partnerships import services
from partnerships.models import Goal, Invitation, Membership
from survivors import services_boards
from survivors.models import Recommendation
from tests.survivors.factories import ConsultantProfileFactory
from tests.toolkit_portal.factories import (
    ConsultantFactory,
    CoordinatorFactory,
    PendingCoordinatorFactory,
)
from toolkit_portal.models import AuditEntry
from toolkit_portal.vocabulary import FourP, Sector

from .factories import (
    GoalFactory,
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    RecommendationFactory,
)


def test_coordinator_updates_profile_and_it_is_audited(coordinator, partnership_x):
    services.update_profile(
        partnership=partnership_x,
        actor=coordinator,
        summary="New summary",
        focus=[FourP.PREVENTION, FourP.PROTECTION],
        areas_served="Denver, Adams",
    )
    partnership_x.refresh_from_db()
    assert partnership_x.focus_labels() == ["Prevention", "Protection"]
    assert partnership_x.areas_list() == ["Denver", "Adams"]
    entry = AuditEntry.objects.get(action="partnerships.profile.updated")
    assert entry.details["fields"] == ["areas_served", "focus", "summary"]


def test_other_coordinator_cannot_update_profile(other_coordinator, partnership_x):
    with pytest.raises(services.PartnershipError):
        services.update_profile(partnership=partnership_x, actor=other_coordinator, name="Mine")


def test_pending_coordinator_member_cannot_manage(pending_coordinator, partnership_x):
    MembershipFactory(partnership=partnership_x, user=pending_coordinator)
    with pytest.raises(services.PartnershipError):
        services.add_organization(
            partnership=partnership_x, actor=pending_coordinator, name="X", sector=Sector.OTHER
        )


def test_sector_coverage_shows_present_and_missing(coordinator, partnership_x):
    for name, sector in [
        ("Police", Sector.LAW_ENFORCEMENT),
        ("DA", Sector.PROSECUTION),
        ("Shelter", Sector.VICTIM_SERVICES),
        ("Clinic", Sector.VICTIM_SERVICES),
    ]:
        services.add_organization(
            partnership=partnership_x, actor=coordinator, name=name, sector=sector
        )
    coverage = {value: count for value, _label, count in partnership_x.sector_coverage()}
    assert coverage[Sector.VICTIM_SERVICES] == 2
    assert coverage[Sector.LAW_ENFORCEMENT] == 1
    assert coverage[Sector.EDUCATION] == 0
    assert len(coverage) == len(Sector.choices)


def test_duplicate_organization_name_is_refused(coordinator, partnership_x):
    OrganizationFactory(partnership=partnership_x, name="Shelter House")
    with pytest.raises(services.PartnershipError, match="already a member"):
        services.add_organization(
            partnership=partnership_x, actor=coordinator, name="shelter house", sector="other"
        )


def test_goals_overview_groups_counts_and_past_target(coordinator, partnership_x):
    today = timezone.localdate()
    late = GoalFactory(
        partnership=partnership_x,
        four_p=FourP.PROTECTION,
        status=Goal.Status.IN_PROGRESS,
        target_date=today - timedelta(days=1),
    )
    GoalFactory(
        partnership=partnership_x,
        four_p=FourP.PROTECTION,
        status=Goal.Status.ACHIEVED,
        target_date=today - timedelta(days=10),
    )
    GoalFactory(partnership=partnership_x, four_p=FourP.PREVENTION)
    overview = services.goals_overview(partnership_x, today=today)
    protection = next(g for g in overview["groups"] if g["value"] == FourP.PROTECTION)
    assert dict(protection["counts"]) == {
        "Planned": 0,
        "In progress": 1,
        "Achieved": 1,
        "Dropped": 0,
    }
    assert overview["past_target"] == [late]
    assert list(partnership_x.goals.past_target(today)) == [late]


def test_progress_note_dated_and_not_in_future(coordinator, partnership_x):
    goal = GoalFactory(partnership=partnership_x)
    note = services.add_progress_note(goal=goal, actor=coordinator, text=" Met the schools ")
    assert note.text == "Met the schools"
    assert note.noted_on == timezone.localdate()
    with pytest.raises(services.PartnershipError, match="future"):
        services.add_progress_note(
            goal=goal,
            actor=coordinator,
            text="x",
            noted_on=timezone.localdate() + timedelta(days=1),
        )


def test_invitation_is_emailed_with_a_signed_link(
    coordinator, partnership_x, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_coordinator(
            partnership=partnership_x, actor=coordinator, email="New@Example.org"
        )
    assert invitation.email == "new@example.org"
    assert len(mail.outbox) == 1
    import re

    token = re.search(r"/partnerships/invitations/([^/\s]+)/", mail.outbox[0].body).group(1)
    assert services.invitation_from_token(token) == invitation
    assert services.invitation_from_token(invitation.token()) == invitation
    assert services.invitation_from_token(invitation.token() + "x") is None


def test_second_open_invitation_and_member_invitation_refused(coordinator, partnership_x):
    services.invite_coordinator(partnership=partnership_x, actor=coordinator, email="a@x.org")
    with pytest.raises(services.PartnershipError, match="still open"):
        services.invite_coordinator(partnership=partnership_x, actor=coordinator, email="A@x.org")
    with pytest.raises(services.PartnershipError, match="already belongs"):
        services.invite_coordinator(
            partnership=partnership_x, actor=coordinator, email=coordinator.email
        )


def test_pending_coordinator_accepts_and_still_needs_approval(partnership_x, coordinator):
    invitation = InvitationFactory(partnership=partnership_x, email="new@example.org")
    newcomer = PendingCoordinatorFactory(email="new@example.org")
    membership = services.accept_invitation(invitation=invitation, actor=newcomer)
    assert membership.role == Membership.Role.COORDINATOR
    invitation.refresh_from_db()
    assert invitation.state() == "accepted"
    assert not partnership_x.is_coordinated_by(newcomer)  # until an admin approves
    with pytest.raises(services.PartnershipError, match="no longer open"):
        services.accept_invitation(invitation=invitation, actor=newcomer)


def test_invitation_for_another_address_or_a_consultant_is_refused(partnership_x):
    invitation = InvitationFactory(partnership=partnership_x, email="new@example.org")
    with pytest.raises(services.PartnershipError, match="another email"):
        services.accept_invitation(invitation=invitation, actor=CoordinatorFactory())
    with pytest.raises(services.PartnershipError, match="not a coordinator"):
        services.accept_invitation(
            invitation=invitation, actor=ConsultantFactory(email="new@example.org")
        )


def test_expired_and_revoked_invitations_do_not_work(coordinator, partnership_x):
    newcomer = CoordinatorFactory(email="late@example.org")
    expired = InvitationFactory(
        partnership=partnership_x,
        email="late@example.org",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    with pytest.raises(services.PartnershipError, match="expired"):
        services.accept_invitation(invitation=expired, actor=newcomer)
    revoked = InvitationFactory(partnership=partnership_x, email="late@example.org")
    services.revoke_invitation(invitation=revoked, actor=coordinator)
    with pytest.raises(services.PartnershipError, match="no longer open"):
        services.accept_invitation(invitation=revoked, actor=newcomer)
    assert not Invitation.objects.pending().exists()


def test_removing_or_demoting_the_last_coordinator_is_refused(coordinator, partnership_x):
    membership = partnership_x.memberships.get(user=coordinator)
    with pytest.raises(services.PartnershipError, match="last coordinator"):
        services.remove_membership(membership=membership, actor=coordinator)
    with pytest.raises(services.PartnershipError, match="last coordinator"):
        services.change_membership_role(
            membership=membership, actor=coordinator, role=Membership.Role.MEMBER
        )
    second = MembershipFactory(partnership=partnership_x)
    services.remove_membership(membership=membership, actor=second.user)
    assert list(partnership_x.memberships.all()) == [second]


def test_consultant_records_recommendation_and_coordinator_answers(
    consultant, coordinator, partnership_x
):
    ConsultantProfileFactory(user=consultant)
    partnership_x.is_listed = True
    partnership_x.save()
    recommendation = services_boards.record_recommendation(
        partnership=partnership_x, actor=consultant, text="Pay for preparation time."
    )
    assert recommendation.status == Recommendation.Status.RECEIVED
    services_boards.answer_recommendation(
        recommendation=recommendation,
        actor=coordinator,
        status=Recommendation.Status.ADOPTED,
        response="From next month, preparation is paid.",
    )
    recommendation.refresh_from_db()
    assert recommendation.answered_by == coordinator
    counts = dict(services_boards.recommendation_counts(partnership_x))
    assert counts["Adopted"] == 1 and counts["Received"] == 0


def test_recommendation_to_an_unlisted_unknown_partnership_is_refused(consultant):
    ConsultantProfileFactory(user=consultant)
    hidden = PartnershipFactory(is_listed=False)
    with pytest.raises(services.PartnershipError, match="Choose a partnership"):
        services_boards.record_recommendation(partnership=hidden, actor=consultant, text="x")


def test_answer_needs_words_and_a_coordinator(other_coordinator, coordinator, partnership_x):
    recommendation = RecommendationFactory(partnership=partnership_x)
    with pytest.raises(services.PartnershipError, match="in words"):
        services_boards.answer_recommendation(
            recommendation=recommendation, actor=coordinator, status="adopted", response=" "
        )
    with pytest.raises(services.PartnershipError):
        services_boards.answer_recommendation(
            recommendation=recommendation,
            actor=other_coordinator,
            status="adopted",
            response="Yes",
        )


def test_a_member_invitation_says_member_not_coordinate(coordinator, partnership_x):
    """A plain member is not told she will coordinate."""
    invitation = Invitation.objects.create(
        partnership=partnership_x,
        email="member@example.org",
        invited_by=coordinator,
        role=Membership.Role.MEMBER,
    )
    services.send_invitation_email(invitation.pk)
    message = mail.outbox[-1]
    assert "as a member" in message.subject
    assert "as a member" in message.body
    assert "coordinate" not in message.subject + message.body.split("\n\n")[1]
