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
from django.db.models import CharField, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toolkit_portal.notifications import (
    moment_text,
    not_told,
    notices,
    record_notices,
    url_expression,
)

from .models import BoardMember, Recommendation, ReminderKind
from .reminders import to_consultant, to_coordinators


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


def record_due(now):
    """Record what is due now, each rule one INSERT … SELECT. Returns the number created."""
    return _recommendations_answered(now) + _board_terms_ending(now)


def _recommendations_answered(now):
    # Leave out answers already recorded: a notification made at or after the answer.
    answered = not_told(
        Recommendation.objects.filter(answered_at__isnull=False),
        Kind.RECOMMENDATION_ANSWERED,
        created_at__gte=OuterRef("answered_at"),
    )
    today = timezone.localdate()
    # A board's recommendation: its members serving when the answer came are told.
    serving = answered.filter(
        consultant__isnull=True,
        board__isnull=False,
        board__members__term_starts_on__lte=today,
        board__members__term_ends_on__gte=today,
    )
    occasion = Concat(F("status"), Value(":"), moment_text("answered_at", "T"))
    common = {
        "kind": Kind.RECOMMENDATION_ANSWERED,
        "occasion": occasion,
        "url": reverse("partnerships:my-recommendations"),
    }
    return record_notices(
        notices(
            answered.filter(consultant__isnull=False),
            recipient=F("consultant__user"),
            email_wanted=_wants_email(ReminderKind.RECOMMENDATION_ANSWERED, "consultant"),
            **common,
        ),
        notices(
            serving,
            recipient=F("board__members__consultant__user"),
            email_wanted=_wants_email(
                ReminderKind.RECOMMENDATION_ANSWERED, "board__members__consultant"
            ),
            **common,
        ),
        now=now,
    )


def _wants_email(preference, profile):
    return ~Q(**{f"{profile}__email_muted_kinds__contains": [preference]})


def _board_terms_ending(now):
    """The member (her seat's page under /me/) and the partnership's coordinators (the
    board's page), once per term end; the inbox names the board, the email does not."""
    members = BoardMember.objects.term_ending_within(
        settings.BOARD_TERM_REMINDER_DAYS, timezone.localdate(now)
    )
    occasion = Concat(Value("ends:"), Cast("term_ends_on", output_field=CharField()))
    to_member = to_consultant(
        Kind.BOARD_TERM_ENDING,
        members,
        occasion,
        url=url_expression("myboards:seat", pk=F("pk")),
        label=F("board__name"),
        email_wanted=_wants_email(ReminderKind.BOARD_TERM_ENDING, "consultant"),
    )
    board_url = url_expression(
        "partnerships:board-detail", slug=F("board__partnership__slug"), pk=F("board")
    )
    to_coordinators_ = notices(
        to_coordinators(members, "board__partnership"),
        kind=Kind.BOARD_TERM_ENDING,
        recipient=F("coordinator"),
        occasion=occasion,
        url=board_url,
        label=F("board__name"),
    )
    return record_notices(to_member, to_coordinators_, now=now)


def still_due(notification, obj, now):
    if isinstance(obj, Recommendation):
        return obj.answered_at is not None and notification.occasion == _answer_occasion(obj)
    if isinstance(obj, BoardMember):
        return obj.term_ends_on >= timezone.localdate(now)
    return False
