"""Every change to a survivor leader board and to "you said, we did" recommendations.

Each function is atomic, takes the acting user as `actor`, raises PartnershipError with a
sentence a person can read, and records an audit entry.
"""

import calendar

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import Partnership
from partnerships.services import PartnershipError
from toolkit_portal.audit import record_audit

from . import services as survivor_services
from .models import (
    Board,
    BoardMeeting,
    BoardMember,
    ConsultantProfile,
    Engagement,
    EngagementKind,
    ParticipationRequest,
    PortalText,
    Recommendation,
)


def _require_coordinator(actor, partnership):
    if not partnership.is_coordinated_by(actor):
        raise PartnershipError(_("Only the partnership's coordinators can do this."))


# "You said, we did" ------------------------------------------------------------------------


def partnerships_for_recommendation(user):
    """Listed partnerships, and those that sent the consultant a request."""
    if not (user.is_authenticated and user.is_consultant):
        return Partnership.objects.none()
    return Partnership.objects.filter(
        Q(is_listed=True) | Q(engagements__requests__consultant__user=user)
    ).distinct()


@transaction.atomic
def record_recommendation(*, partnership, actor, text, engagement=None, is_anonymous=False):
    profile = ConsultantProfile.objects.filter(user=actor).first()
    if profile is None:
        raise PartnershipError(_("Create your profile first, then record a recommendation."))
    if not partnerships_for_recommendation(actor).filter(pk=partnership.pk).exists():
        raise PartnershipError(_("Choose a partnership from the list."))
    if not text.strip():
        raise PartnershipError(_("Write your recommendation."))
    if engagement is not None and not (
        engagement.partnership_id == partnership.pk
        and engagement.requests.filter(consultant=profile).exists()
    ):
        raise PartnershipError(_("Choose one of your engagements with this partnership, or none."))
    recommendation = Recommendation.objects.create(
        partnership=partnership,
        consultant=profile,
        text=text.strip(),
        engagement=engagement,
        is_anonymous=bool(is_anonymous),
    )
    record_audit(
        actor,
        "partnerships.recommendation.recorded",
        recommendation,
        anonymous=recommendation.is_anonymous,
    )
    return recommendation


def engagements_for_recommendation(user):
    """Engagements the consultant was asked to, to tie a recommendation to one."""
    if not (user.is_authenticated and user.is_consultant):
        return Engagement.objects.none()
    return (
        Engagement.objects.filter(requests__consultant__user=user)
        .select_related("partnership")
        .order_by("-starts_at")
        .distinct()
    )


@transaction.atomic
def record_board_recommendation(*, board, actor, text):
    """A coordinator records what the survivor leader board recommended; its members see the
    answer on their page."""
    _require_coordinator(actor, board.partnership)
    if not text.strip():
        raise PartnershipError(_("Write the board's recommendation."))
    recommendation = Recommendation.objects.create(
        partnership=board.partnership, board=board, text=text.strip()
    )
    record_audit(actor, "partnerships.recommendation.recorded", recommendation, board=board.pk)
    return recommendation


@transaction.atomic
def answer_recommendation(*, recommendation, actor, status, response, now=None):
    """Set the status and the response in words. The consultant hears of it through the
    reminder sweep (survivors/reminders_boards.py)."""
    _require_coordinator(actor, recommendation.partnership)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if status not in Recommendation.Status.values:
        raise PartnershipError(_("Choose a status."))
    if not response.strip():
        raise PartnershipError(_("Say in words what the partnership did with it."))
    old = recommendation.status
    recommendation.status = status
    recommendation.response = response.strip()
    recommendation.answered_by = actor
    recommendation.answered_at = now or timezone.now()
    recommendation.save(update_fields=["status", "response", "answered_by", "answered_at"])
    record_audit(
        actor,
        "partnerships.recommendation.answered",
        recommendation,
        status_from=old,
        status_to=status,
    )
    return recommendation


def recommendation_counts(partnership):
    """[(label, count)] for every status, in order."""
    counts = dict(
        partnership.recommendations.values_list("status").annotate(n=Count("id")).order_by()
    )
    return [(label, counts.get(value, 0)) for value, label in Recommendation.Status.choices]


# Survivor leader boards ----------------------------------------------------------------------


BOARD_FIELDS = ["name", "purpose", "survivor_seats", "term_months"]


@transaction.atomic
def save_board(*, partnership, actor, board=None, **fields):
    _require_coordinator(actor, partnership)
    created = board is None
    board = board or Board(partnership=partnership)
    for key, value in fields.items():
        if key not in BOARD_FIELDS:
            raise PartnershipError(_("This field cannot be changed here."))
        setattr(board, key, value)
    if board.survivor_seats < 1:
        raise PartnershipError(_("A board needs at least one survivor seat."))
    board.save()
    record_audit(
        actor, "partnerships.board.created" if created else "partnerships.board.updated", board
    )
    return board


@transaction.atomic
def schedule_board_meeting(*, board, actor, starts_at, ends_at, response_deadline, **fields):
    """A meeting whose survivor seats are offered as one paid "board or committee seat"
    engagement; invitations then go through the survivors' participation requests."""
    _require_coordinator(actor, board.partnership)
    try:
        engagement = survivor_services.create_engagement(
            partnership=board.partnership,
            actor=actor,
            # Without a typed title, the portal's ("<board> meeting") in each reader's language.
            title=fields.pop("title", ""),
            portal_text=PortalText.BOARD_MEETING,
            portal_text_subject=board.name,
            kind=EngagementKind.BOARD_SEAT,
            seats=board.survivor_seats,
            starts_at=starts_at,
            ends_at=ends_at,
            response_deadline=response_deadline,
            **fields,
        )
    except survivor_services.EngagementError as error:
        raise PartnershipError(str(error)) from error
    meeting = BoardMeeting.objects.create(board=board, engagement=engagement)
    record_audit(
        actor, "partnerships.board.meeting_scheduled", board, engagement=str(engagement.pk)
    )
    return meeting


def seat_candidates(board):
    """Consultants who accepted a seat at one of the board's meetings and are not serving."""
    today = timezone.localdate()
    serving = board.members.filter(term_ends_on__gte=today).values("consultant_id")
    return (
        ConsultantProfile.objects.filter(
            requests__engagement__board_meeting__board=board,
            requests__status__in=[
                ParticipationRequest.Status.ACCEPTED,
                ParticipationRequest.Status.COMPLETED,
            ],
        )
        .exclude(pk__in=serving)
        .distinct()
    )


@transaction.atomic
def seat_board_member(*, board, actor, consultant, term_starts_on=None):
    """Seat a consultant who accepted a board seat, for one term from `term_starts_on`
    (pick different start dates to stagger the terms)."""
    _require_coordinator(actor, board.partnership)
    board = Board.objects.select_for_update().get(pk=board.pk)
    if not seat_candidates(board).filter(pk=consultant.pk).exists():
        raise PartnershipError(
            _(
                "Only a consultant who accepted a seat at one of this board's meetings "
                "can be seated."
            )
        )
    term_starts_on = term_starts_on or timezone.localdate()
    if board.members.serving(term_starts_on).count() >= board.survivor_seats:
        raise PartnershipError(_("Every survivor seat on this board is taken for that date."))
    member = BoardMember.objects.create(
        board=board,
        consultant=consultant,
        term_starts_on=term_starts_on,
        term_ends_on=add_months(term_starts_on, board.term_months),
    )
    record_audit(actor, "partnerships.board.member_seated", member)
    return member


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
