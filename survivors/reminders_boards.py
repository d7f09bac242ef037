"""What is due about recommendations and survivor leader boards.

- A recommendation answered (or its answer changed): tell the consultant who made it. Each
  answer is its own occasion (status and time of the answer), so a change is told again.
  The consultant can turn the email off ("A recommendation is answered"); the inbox keeps it.
- A board term ending within BOARD_TERM_REMINDER_DAYS: tell the member and the partnership's
  coordinators, once per term end. The member's notice names the board in the inbox and
  links to her seat's page (/me/boards/<seat>/); she can turn its email off on its own
  ("My term on a survivor leader board ends soon").

Duplicate or loss: like the other reminders, a rare duplicate is preferred to a lost one.
"""

from django.conf import settings
from django.db.models import OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toolkit_portal.notifications import Due, not_told

from .models import BoardMember, Recommendation, ReminderKind
from .reminders import coordinators_by_partnership


class Kind:
    """Notifications about recommendations and survivor leader boards.

    MESSAGES: the sentence a person reads (email and inbox); it names no survivor."""

    RECOMMENDATION_ANSWERED = "recommendation_answered"
    BOARD_TERM_ENDING = "board_term_ending"

    MESSAGES = {
        RECOMMENDATION_ANSWERED: _("A partnership answered your recommendation."),
        BOARD_TERM_ENDING: _("A survivor leader board term ends within 30 days."),
    }


KINDS = {Kind.RECOMMENDATION_ANSWERED, Kind.BOARD_TERM_ENDING}


def _answer_occasion(recommendation):
    return f"{recommendation.status}:{recommendation.answered_at.isoformat()}"


def due(now):
    yield from _recommendations_answered()
    yield from _board_terms_ending(now)


def _recommendations_answered():
    answered = Recommendation.objects.filter(answered_at__isnull=False).filter(
        Q(consultant__isnull=False) | Q(board__isnull=False)
    )
    # Leave out answers already recorded: a notification made at or after the answer.
    answered = list(
        not_told(
            answered.select_related("consultant"),
            Kind.RECOMMENDATION_ANSWERED,
            created_at__gte=OuterRef("answered_at"),
        )
    )
    # A board's recommendation: its members serving when the answer came are told.
    board_ids = {r.board_id for r in answered if r.board_id and r.consultant_id is None}
    serving = {}
    for member in (
        BoardMember.objects.filter(board_id__in=board_ids)
        .serving(timezone.localdate())
        .select_related("consultant")
    ):
        serving.setdefault(member.board_id, []).append(member.consultant)
    url = reverse("partnerships:my-recommendations")
    for recommendation in answered:
        if recommendation.consultant_id:
            profiles = [recommendation.consultant]
        else:
            profiles = serving.get(recommendation.board_id, [])
        for profile in profiles:
            yield Due(
                kind=Kind.RECOMMENDATION_ANSWERED,
                recipient_id=profile.user_id,
                obj=recommendation,
                occasion=_answer_occasion(recommendation),
                url=url,
                email_wanted=profile.wants_email_for(ReminderKind.RECOMMENDATION_ANSWERED),
            )


def _board_terms_ending(now):
    today = timezone.localdate(now)
    members = list(
        BoardMember.objects.term_ending_within(
            settings.BOARD_TERM_REMINDER_DAYS, today
        ).select_related("board__partnership", "consultant")
    )
    coordinators = coordinators_by_partnership(m.board.partnership_id for m in members)
    for member in members:
        occasion = f"ends:{member.term_ends_on.isoformat()}"
        yield Due(
            kind=Kind.BOARD_TERM_ENDING,
            recipient_id=member.consultant.user_id,
            obj=member,
            occasion=occasion,
            url=member.get_absolute_url(),  # her seat's page under /me/
            label=member.board.name,  # the inbox names the board; the email does not
            email_wanted=member.consultant.wants_email_for(ReminderKind.BOARD_TERM_ENDING),
        )
        board_url = reverse(
            "partnerships:board-detail",
            kwargs={"slug": member.board.partnership.slug, "pk": member.board_id},
        )
        for user_id in coordinators.get(member.board.partnership_id, []):
            yield Due(
                kind=Kind.BOARD_TERM_ENDING,
                recipient_id=user_id,
                obj=member,
                occasion=occasion,
                url=board_url,
                label=member.board.name,
            )


def still_due(notification, obj, now):
    if isinstance(obj, Recommendation):
        return obj.answered_at is not None and notification.occasion == _answer_occasion(obj)
    if isinstance(obj, BoardMember):
        return obj.term_ends_on >= timezone.localdate(now)
    return False
