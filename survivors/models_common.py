"""The survivors app's choices and the small helpers its models share."""

import functools
from datetime import timedelta
from decimal import Decimal

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")


def _array_text(field):
    """An array column as one comma-separated string, for case-insensitive matching."""
    return models.Func(
        models.F(field),
        models.Value(", "),
        function="array_to_string",
        output_field=models.CharField(),
    )


def choice_label(choices, value):
    """The label of one value: get_FOO_display() translates every label of the field on
    each call, which a list of a hundred rows pays a hundred times. Translated once per
    language and kept: the catalogs do not change while the process runs."""
    return _translated_label(choices, value, translation.get_language())


@functools.lru_cache(maxsize=512)
def _translated_label(choices, value, language):
    # `language` is the active language (the key of the cache); str() translates into it.
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def month_bounds(day):
    """The first day of the month of `day` and the first day of the next month."""
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following


class Availability(models.TextChoices):
    """What a consultant is open to. Capacity applies to every choice; "limited" adds a rule
    of its own (see `ConsultantProfile.takes_only_remote`): only engagements she can join
    remotely, so she can keep working without travel or rooms full of strangers."""

    OPEN = "open", _("Open to requests")
    LIMITED = "limited", _("Limited: remote engagements only")
    PAUSED = "paused", _("Paused")


class RateBasis(models.TextChoices):
    HOURLY = "hourly", _("per hour")
    FLAT = "flat", _("flat fee per engagement")


class ReminderKind(models.TextChoices):
    """Reminders a consultant can receive by email (the inbox always shows them)."""

    NEW_REQUEST = "request_new", _("A new participation request")
    REQUEST_REMINDER = "request_reminder", _("A gentle reminder of an unanswered request")
    REQUEST_CANCELLED = "request_cancelled", _("A request or engagement is cancelled")
    ENGAGEMENT_SOON = "engagement_soon", _("An engagement in two days")
    COMPENSATION_PAID = "compensation_paid", _("A payment is recorded or reopened")
    RECOMMENDATION_ANSWERED = "recommendation_answered", _("A recommendation is answered")
    TERMS_CHANGED = "terms_changed", _("The terms of a request or engagement changed")
    BOARD_TERM_ENDING = "board_term_ending", _("My term on a survivor leader board ends soon")
    EXPENSE_QUERIED = "expense_queried", _("A question about an expense I added")


class PaymentMethod(models.TextChoices):
    CHECK = "check", _("Check")
    DIRECT_DEPOSIT = "direct_deposit", _("Direct deposit")
    GIFT_CARD = "gift_card", _("Gift card or voucher")


class EngagementKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    TRAINING = "training", _("Training or speaking")
    PANEL = "panel", _("Panel")
    BOARD_SEAT = "board_seat", _("Board or committee seat")
    ADVISORY_MEETING = "advisory_meeting", _("Advisory meeting")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    MENTORING = "mentoring", _("Mentoring")
    ASSESSMENT_REVIEW = "assessment_review", _("Assessment review")

    @classmethod
    def group_kinds(cls):
        """Kinds where a lone survivor would be the token survivor in the room."""
        return {cls.PANEL, cls.BOARD_SEAT, cls.ADVISORY_MEETING}


def _managed_by(queryset, user):
    """Rows of the partnerships `user` coordinates. Admins manage every partnership: their
    lists need no join against the partnerships (a count of them stays a plain count).

    The partnership ids are read first and given as values: with a subquery PostgreSQL
    guesses an average partnership's number of rows, and for a partnership holding a
    quarter of the state's records it then joins and sorts them all to show one page.
    """
    from partnerships.models import Partnership

    if user.is_authenticated and user.is_portal_admin:
        return queryset.all()
    ids = list(Partnership.objects.coordinated_by(user).values_list("id", flat=True))
    return queryset.filter(partnership_id__in=ids)
