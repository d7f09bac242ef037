from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from partnerships.models import Goal, Invitation, Membership, Organization, Partnership, Position
from survivors.models import Board, BoardMember, Recommendation
from toolkit_portal.vocabulary import FourP, Sector


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Task Force {n}")
    slug = factory.Sequence(lambda n: f"task-force-{n}")
    summary = "A partnership of agencies and survivor-led organizations."
    is_listed = True


class PartOfPartnershipFactory(factory.django.DjangoModelFactory):
    """A record of one partnership: a new partnership unless one is given."""

    class Meta:
        abstract = True

    partnership = factory.SubFactory(PartnershipFactory)


class MembershipFactory(PartOfPartnershipFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("tests.toolkit_portal.factories.CoordinatorFactory")
    role = Membership.Role.COORDINATOR


class OrganizationFactory(PartOfPartnershipFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    sector = Sector.VICTIM_SERVICES
    role = Organization.Role.MEMBER


class GoalFactory(PartOfPartnershipFactory):
    class Meta:
        model = Goal

    title = factory.Sequence(lambda n: f"Goal {n}")
    four_p = FourP.PREVENTION
    strategy = "Train school staff to recognise the signs."
    owner = "Prevention working group"
    status = Goal.Status.PLANNED


class InvitationFactory(PartOfPartnershipFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")


class RecommendationFactory(PartOfPartnershipFactory):
    class Meta:
        model = Recommendation

    consultant = factory.SubFactory("tests.survivors.factories.ConsultantProfileFactory")
    text = "Pay for preparation time, not only the meeting."


class BoardFactory(PartOfPartnershipFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Survivor Leader Board {n}")
    survivor_seats = 3
    term_months = 18


def board_meeting(board, actor):
    """A two-hour meeting of the board in 20 days, scheduled through the service."""
    from survivors import services_boards

    start = timezone.now() + timedelta(days=20)
    return services_boards.schedule_board_meeting(
        board=board,
        actor=actor,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        response_deadline=start - timedelta(days=7),
        estimated_hours=Decimal("2"),
        compensation_amount=Decimal("150"),
    )


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    board = factory.SubFactory(BoardFactory)
    consultant = factory.SubFactory("tests.survivors.factories.ConsultantProfileFactory")
    term_starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=300))
    term_ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=200))


class PositionFactory(PartOfPartnershipFactory):
    class Meta:
        model = Position

    title = factory.Sequence(lambda n: f"Peer navigator {n}")
    organization = "Safe Harbor"
    pay_range = "$24–$28 an hour"
    how_to_apply = "Email jobs@example.org"
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    lived_experience_counts = True


def coordinator_of(partnership, **user_fields):
    """An approved coordinator (second factor enrolled) of the partnership."""
    from tests.toolkit_portal.factories import CoordinatorFactory

    user = CoordinatorFactory(**user_fields)
    MembershipFactory(partnership=partnership, user=user, role=Membership.Role.COORDINATOR)
    return user


def coordinated_partnership(*, coordinator_email, **fields):
    """A partnership and its coordinator: (partnership, coordinator)."""
    partnership = PartnershipFactory(**fields)
    return partnership, coordinator_of(partnership, email=coordinator_email)


def partnership_page(name, partnership, *args):
    """The address of one of a partnership's pages (`partnerships:<name>`)."""
    from django.urls import reverse

    return reverse(f"partnerships:{name}", args=[partnership.slug, *args])
