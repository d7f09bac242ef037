"""What is due about participation requests, engagements and compensation.

Each rule is a query over the current rows that leaves out what was already recorded, and its
notifications are inserted by the database in one statement (`notifications.notices`), so a
sweep costs little when nothing changed and no row passes through Python. Delays are
settings (REMINDER_*).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Membership
from toolkit_portal.models import User
from toolkit_portal.notifications import (
    Due,
    date_text,
    moment_text,
    not_told,
    notices,
    record_notices,
    url_expression,
)

from . import services
from .calendar import engagement_invitation
from .models import (
    Compensation,
    Engagement,
    Expense,
    ParticipationRequest,
    ReminderKind,
    shown_title_expression,
)


class Kind:
    """Notifications about participation requests, engagements and compensation.

    MESSAGES: the sentence a person reads (email and inbox); it names no survivor."""

    REQUEST_NEW = "request_new"
    REQUEST_REMINDER = "request_reminder"
    REQUEST_EXPIRED = "request_expired"
    REQUEST_ANSWERED = "request_answered"
    REQUEST_ACCEPTED = "request_accepted"
    REQUEST_CANCELLED = "request_cancelled"
    REQUEST_TERMS_CHANGED = "request_terms_changed"
    REQUEST_RELEASED = "request_released"
    ENGAGEMENT_SOON = "engagement_soon"
    COMPENSATION_DUE_SOON = "compensation_due_soon"
    COMPENSATION_OVERDUE = "compensation_overdue"
    COMPENSATION_ESCALATED = "compensation_escalated"
    COMPENSATION_PAID = "compensation_paid"
    COMPENSATION_REOPENED = "compensation_reopened"
    EXPENSE_QUERIED = "expense_queried"

    MESSAGES = {
        REQUEST_NEW: _("You have a new participation request."),
        REQUEST_REMINDER: _("A participation request is still waiting for your answer."),
        REQUEST_EXPIRED: _("A participation request expired without an answer."),
        REQUEST_ANSWERED: _("A consultant answered a participation request."),
        REQUEST_ACCEPTED: _("You accepted an engagement. The calendar invitation is attached."),
        REQUEST_CANCELLED: _("An engagement you were invited to was cancelled."),
        REQUEST_TERMS_CHANGED: _("The terms of an engagement you were asked to have changed."),
        REQUEST_RELEASED: _("You are released from an engagement; nothing counts against you."),
        ENGAGEMENT_SOON: _("An engagement is coming up in two days."),
        COMPENSATION_DUE_SOON: _("A consultant's payment is due within a week."),
        COMPENSATION_OVERDUE: _("A consultant's payment is overdue."),
        COMPENSATION_ESCALATED: _("A consultant's payment in your partnership is overdue."),
        COMPENSATION_PAID: _("A payment to you was recorded."),
        COMPENSATION_REOPENED: _("A payment was reported as not received."),
        EXPENSE_QUERIED: _("A coordinator has a question about an expense you added."),
    }


Status = ParticipationRequest.Status

# Which of the consultant's email preferences covers each kind.
PREFERENCE = {
    Kind.REQUEST_NEW: ReminderKind.NEW_REQUEST,
    Kind.REQUEST_REMINDER: ReminderKind.REQUEST_REMINDER,
    Kind.REQUEST_CANCELLED: ReminderKind.REQUEST_CANCELLED,
    Kind.REQUEST_TERMS_CHANGED: ReminderKind.TERMS_CHANGED,
    Kind.REQUEST_RELEASED: ReminderKind.REQUEST_CANCELLED,
    Kind.REQUEST_ACCEPTED: ReminderKind.ENGAGEMENT_SOON,
    Kind.ENGAGEMENT_SOON: ReminderKind.ENGAGEMENT_SOON,
    Kind.COMPENSATION_PAID: ReminderKind.COMPENSATION_PAID,
    Kind.COMPENSATION_REOPENED: ReminderKind.COMPENSATION_PAID,
    Kind.EXPENSE_QUERIED: ReminderKind.EXPENSE_QUERIED,
}

KINDS = {
    Kind.REQUEST_NEW,
    Kind.REQUEST_REMINDER,
    Kind.REQUEST_EXPIRED,
    Kind.REQUEST_ANSWERED,
    Kind.REQUEST_ACCEPTED,
    Kind.REQUEST_CANCELLED,
    Kind.REQUEST_TERMS_CHANGED,
    Kind.REQUEST_RELEASED,
    Kind.ENGAGEMENT_SOON,
    Kind.COMPENSATION_DUE_SOON,
    Kind.COMPENSATION_OVERDUE,
    Kind.COMPENSATION_ESCALATED,
    Kind.COMPENSATION_PAID,
    Kind.COMPENSATION_REOPENED,
    Kind.EXPENSE_QUERIED,
}


def _coordinators(partnership):
    """Approved, active coordinators of the partnership a query's row names (`partnership`: an
    expression), e.g. to pick one of them in a subquery."""
    return Membership.objects.filter(
        partnership=partnership,
        role=Membership.Role.COORDINATOR,
        user__is_active=True,
        user__approved_at__isnull=False,
    )


def to_coordinators(queryset, partnership):
    """Each row once for every approved, active coordinator of its partnership (`partnership`:
    the path to it): the coordinator as `coordinator`, the language they read as
    `coordinator_language`. One filter() call, so the three conditions hold for the same
    membership, and the aliases read that membership."""
    memberships = f"{partnership}__memberships"
    return queryset.filter(
        **{
            f"{memberships}__role": Membership.Role.COORDINATOR,
            f"{memberships}__user__is_active": True,
            f"{memberships}__user__approved_at__isnull": False,
        }
    ).alias(
        coordinator=F(f"{memberships}__user"),
        coordinator_language=F(f"{memberships}__user__language"),
    )


def _admins():
    """(id, language) of the active admins: few, so a rule names each in its statement."""
    return list(User.objects.admins().values_list("id", "language"))


def _wants_email(kind, profile="consultant"):
    """`profile.wants_email_for(PREFERENCE[kind])` over the row."""
    return ~Q(**{f"{profile}__email_muted_kinds__contains": [PREFERENCE[kind]]})


def _title(language, engagement):
    """The engagement's title as its reader sees it (`Engagement.display_title`): the inbox
    keeps it in the recipient's language."""
    return shown_title_expression(language, engagement)


def _consultant_due(kind, request, occasion):
    """A notice to the consultant about her request; it opens her own request page."""
    profile = request.consultant
    return Due(
        kind=kind,
        recipient_id=profile.user_id,
        obj=request,
        occasion=occasion,
        url=request.get_absolute_url(),
        label=request.engagement.display_title,
        email_wanted=profile.wants_email_for(PREFERENCE[kind]),
    )


def request_new(request):
    """A new request, for the consultant's inbox. The service records it as it sends the
    request, so it shows at once; the sweep finds the same row (kind, request, recipient,
    "sent") already recorded and adds none, and delivers its email as any other."""
    return _consultant_due(Kind.REQUEST_NEW, request, "sent")


def _requests(*statuses):
    return ParticipationRequest.objects.filter(status__in=statuses, consultant__isnull=False)


def advance(now):
    """Requests whose deadline passed without an answer expire."""
    expired = ParticipationRequest.objects.filter(
        status=Status.PENDING, engagement__response_deadline__lt=now
    )
    for request in expired.iterator():
        try:
            services.expire_request(request=request, now=now)
        except services.EngagementError:
            pass  # answered or expired meanwhile (e.g. by a sweep running at the same time)


def record_due(now):
    """Record what is due now: each rule below is one INSERT … SELECT. Returns the number of
    notifications created."""
    return sum(rule(now) for rule in RULES)


def to_consultant(kind, rows, occasion, *, url=None, label=None, email_wanted=None):
    """The notice to the consultant each row names (`consultant`). By default the rows are
    requests: it opens her own request page, labelled with the engagement's title, and is
    emailed unless she turned off the preference covering `kind`."""
    if url is None:
        url = url_expression("survivors:my-request-detail", pk=F("pk"))
    if label is None:
        label = _title(F("consultant__user__language"), "engagement__")
    if email_wanted is None:
        email_wanted = _wants_email(kind)
    return notices(
        rows,
        kind=kind,
        recipient=F("consultant__user"),
        occasion=occasion,
        url=url,
        label=label,
        email_wanted=email_wanted,
    )


def _request_notices(now):
    # One gentle reminder halfway to the deadline, never more.
    halfway = ExpressionWrapper(
        F("sent_at") + (F("engagement__response_deadline") - F("sent_at")) / 2,
        output_field=DateTimeField(),
    )
    waiting = (
        _requests(Status.PENDING)
        .alias(halfway=halfway)
        .filter(halfway__lte=now, engagement__response_deadline__gt=now)
    )
    cancelled = _requests(Status.CANCELLED)
    changed = _requests(Status.PENDING, Status.CHANGED).filter(terms_changed_at__isnull=False)
    terms_occasion = Concat(Value("terms:"), Cast("terms_changed_at", output_field=CharField()))
    # To the consultant: (kind, which requests, the occasion, told once per occasion or once).
    rules = [
        (Kind.REQUEST_NEW, _requests(Status.PENDING), Value("sent"), False),
        (Kind.REQUEST_REMINDER, waiting, Value("halfway"), False),
        # Cancelled by a coordinator. A release has its own, kinder notice.
        (Kind.REQUEST_CANCELLED, cancelled.filter(released_at=None), Value("cancelled"), False),
        (Kind.REQUEST_RELEASED, cancelled.exclude(released_at=None), Value("released"), False),
        # The terms changed while she was asked or had accepted: once per change (the moment
        # of the change is the occasion). A rare duplicate beats a lost notice here too.
        (Kind.REQUEST_TERMS_CHANGED, changed, terms_occasion, True),
        # Accepted: a confirmation, with the calendar invitation.
        (Kind.REQUEST_ACCEPTED, _requests(Status.ACCEPTED), Value("accepted"), False),
    ]
    created = 0
    for kind, requests, occasion, per_occasion in rules:
        requests = requests.alias(notice_at=occasion)
        requests = not_told(requests, kind, per="notice_at" if per_occasion else None)
        created += record_notices(to_consultant(kind, requests, F("notice_at")), now=now)
    return created


def _answers(now):
    """Answered or expired: tell the partnership's coordinators. An answer can change
    (accepted, then withdrawn): each status is its own occasion."""
    coordinator_kinds = [
        (Kind.REQUEST_ANSWERED, [Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN]),
        (Kind.REQUEST_EXPIRED, [Status.EXPIRED]),
    ]
    created = 0
    for kind, statuses in coordinator_kinds:
        answered = not_told(
            ParticipationRequest.objects.filter(status__in=statuses), kind, per="status"
        )
        rows = notices(
            to_coordinators(answered, "engagement__partnership"),
            kind=kind,
            recipient=F("coordinator"),
            occasion=F("status"),
            url=url_expression("survivors:engagement-detail", pk=F("engagement")),
            label=_title(F("coordinator_language"), "engagement__"),
        )
        created += record_notices(rows, now=now)
    return created


def _engagement_soon(now):
    """An accepted engagement in two days: the consultant, and the partnership's coordinators
    (about the engagement)."""
    window = now + timedelta(days=settings.REMINDER_ENGAGEMENT_DAYS_BEFORE)
    accepted = _requests(Status.ACCEPTED).filter(
        engagement__starts_at__gt=now, engagement__starts_at__lte=window
    )
    to_consultants = to_consultant(
        Kind.ENGAGEMENT_SOON,
        not_told(accepted, Kind.ENGAGEMENT_SOON),
        moment_text("engagement__starts_at", "T"),
    )
    coming = Engagement.objects.filter(
        Exists(
            ParticipationRequest.objects.filter(engagement=OuterRef("pk"), status=Status.ACCEPTED)
        ),
        status=Engagement.Status.OPEN,
        starts_at__gt=now,
        starts_at__lte=window,
    )
    to_coordinators_ = notices(
        to_coordinators(not_told(coming, Kind.ENGAGEMENT_SOON), "partnership"),
        kind=Kind.ENGAGEMENT_SOON,
        recipient=F("coordinator"),
        occasion=moment_text("starts_at", "T"),
        url=url_expression("survivors:engagement-detail", pk=F("pk")),
        label=_title(F("coordinator_language"), ""),
    )
    return record_notices(to_consultants, to_coordinators_, now=now)


DUE_SOON, OVERDUE = Kind.COMPENSATION_DUE_SOON, Kind.COMPENSATION_OVERDUE


def _compensation_due_soon(now):
    """Unpaid and due within a week: the partnership's coordinators, once per due date."""
    today = timezone.localdate(now)
    soon = Compensation.objects.exclude(status=Compensation.Status.PAID).filter(
        due_on__gte=today,
        due_on__lte=today + timedelta(days=settings.REMINDER_COMPENSATION_DAYS_BEFORE),
    )
    soon = not_told(
        soon.alias(due_text=Cast("due_on", output_field=CharField())), DUE_SOON, per="due_text"
    )
    rows = notices(
        to_coordinators(soon, "partnership"),
        kind=DUE_SOON,
        recipient=F("coordinator"),
        occasion=F("due_text"),
        url=reverse("survivors:compensation-list"),
        label=_title(F("coordinator_language"), "request__engagement__"),
    )
    return record_notices(rows, now=now)


def _compensation_overdue(now):
    """Overdue: weekly to the coordinator responsible (who created the engagement, or else the
    partnership's first coordinator by email address), once to the others and the admins."""
    today = timezone.localdate(now)
    # Whole weeks overdue, as the occasion of the weekly reminder ("2026-01-31:week2").
    weeks = Func(
        Value(today, output_field=DateField()),
        F("due_on"),
        template="((%(expressions)s) / 7)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )
    week_text = Concat(
        Cast("due_on", output_field=CharField()),
        Value(":week"),
        Cast(weeks, output_field=CharField()),
    )
    overdue = Compensation.objects.exclude(status=Compensation.Status.PAID).filter(due_on__lt=today)
    # A record whose reminder for this week is recorded is left out: its escalations were
    # recorded by the same sweep, so a sweep does not walk them all.
    overdue = not_told(overdue.alias(week_text=week_text), OVERDUE, per="week_text")
    coordinators = _coordinators(OuterRef("partnership")).values("user")
    creator = coordinators.filter(user=OuterRef("request__engagement__created_by"))
    first = coordinators.order_by("user__email")
    overdue = overdue.alias(
        responsible=Coalesce(Subquery(creator.order_by()[:1]), Subquery(first[:1])),
    )
    list_url = reverse("survivors:compensation-list")
    responsible = Q(coordinator=F("responsible"))
    selections = [
        # The partnership's coordinators: the weekly reminder to the one responsible, the
        # escalation to the others.
        notices(
            to_coordinators(overdue, "partnership"),
            kind=Case(
                When(responsible, then=Value(OVERDUE)),
                default=Value(Kind.COMPENSATION_ESCALATED),
            ),
            recipient=F("coordinator"),
            occasion=Case(
                When(responsible, then=F("week_text")),
                default=Cast("due_on", output_field=CharField()),
            ),
            url=list_url,
            label=_title(F("coordinator_language"), "request__engagement__"),
        ),
    ]
    for admin_id, language in _admins():
        selections.append(
            notices(
                overdue.filter(Q(responsible__isnull=True) | ~Q(responsible=admin_id)),
                kind=Kind.COMPENSATION_ESCALATED,
                recipient=admin_id,
                occasion=Cast("due_on", output_field=CharField()),
                url=list_url,
                label=_title(language, "request__engagement__"),
            )
        )
    return record_notices(*selections, now=now)


def _compensation_paid(now):
    """Paid: tell the consultant. A payment already told is left out, so a sweep does not walk
    every past payment."""
    paid = Compensation.objects.filter(
        status=Compensation.Status.PAID, consultant__isnull=False
    ).alias(paid_occasion=Concat(Value("paid:"), Cast("paid_on", output_field=CharField())))
    rows = to_consultant(
        Kind.COMPENSATION_PAID,
        not_told(paid, Kind.COMPENSATION_PAID, per="paid_occasion"),
        Concat(Value("paid:"), date_text("paid_on")),
        url=url_expression("survivors:my-compensation-detail", pk=F("pk")),
        label=_title(F("consultant__user__language"), "request__engagement__"),
    )
    return record_notices(rows, now=now)


def _compensation_reopened(now):
    """Reported not received: the consultant and the partnership's coordinators."""
    reopened = Compensation.objects.filter(
        status=Compensation.Status.REOPENED, consultant__isnull=False
    )
    occasion = Concat(Value("reopened:"), moment_text("reopened_at"))
    to_her = to_consultant(
        Kind.COMPENSATION_REOPENED,
        reopened,
        occasion,
        url=url_expression("survivors:my-compensation-detail", pk=F("pk")),
        label=_title(F("consultant__user__language"), "request__engagement__"),
    )
    to_coordinators_ = notices(
        to_coordinators(reopened, "partnership"),
        kind=Kind.COMPENSATION_REOPENED,
        recipient=F("coordinator"),
        occasion=occasion,
        url=reverse("survivors:compensation-list"),
        label=_title(F("coordinator_language"), "request__engagement__"),
    )
    return record_notices(to_her, to_coordinators_, now=now)


def _expense_queried(now):
    """A line of hers was queried: tell her, once per question (the moment of the decision is
    the occasion, so a second question after she changed the line is told too). Her own new
    or changed lines reach the coordinators only through the engagement page. As for the
    other notices about payments, a rare duplicate beats a lost question."""
    queried = Expense.objects.filter(
        status=Expense.Status.QUERIED,
        decided_at__isnull=False,
        request__consultant__isnull=False,
    ).alias(query_occasion=Concat(Value("queried:"), Cast("decided_at", output_field=CharField())))
    request_url = url_expression("survivors:my-request-detail", pk=F("request"))
    rows = notices(
        not_told(queried, Kind.EXPENSE_QUERIED, per="query_occasion"),
        kind=Kind.EXPENSE_QUERIED,
        recipient=F("request__consultant__user"),
        occasion=F("query_occasion"),
        url=Concat(request_url, Value("#expenses")),
        label=_title(F("request__consultant__user__language"), "request__engagement__"),
        email_wanted=_wants_email(Kind.EXPENSE_QUERIED, "request__consultant"),
    )
    return record_notices(rows, now=now)


RULES = [
    _request_notices,
    _answers,
    _engagement_soon,
    _compensation_due_soon,
    _compensation_overdue,
    _compensation_paid,
    _compensation_reopened,
    _expense_queried,
]


def still_due(notification, obj, now):
    """Checked again just before sending: nothing about a request already answered or a
    payment already made."""
    kind = notification.kind
    if isinstance(obj, ParticipationRequest):
        return {
            Kind.REQUEST_NEW: obj.status == Status.PENDING,
            Kind.REQUEST_REMINDER: obj.status == Status.PENDING
            and not obj.engagement.deadline_passed(now),
            Kind.REQUEST_CANCELLED: obj.status == Status.CANCELLED,
            Kind.REQUEST_RELEASED: obj.status == Status.CANCELLED,
            Kind.REQUEST_TERMS_CHANGED: obj.status in (Status.PENDING, Status.CHANGED),
            Kind.REQUEST_ACCEPTED: obj.status == Status.ACCEPTED,
            Kind.REQUEST_ANSWERED: obj.status
            in (Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN, Status.COMPLETED),
            Kind.REQUEST_EXPIRED: obj.status == Status.EXPIRED,
            Kind.ENGAGEMENT_SOON: obj.status == Status.ACCEPTED and obj.engagement.starts_at > now,
        }.get(kind, False)
    if isinstance(obj, Engagement):
        return obj.is_open() and obj.starts_at > now
    if isinstance(obj, Expense):
        return kind == Kind.EXPENSE_QUERIED and obj.is_queried()
    if isinstance(obj, Compensation):
        if kind == Kind.COMPENSATION_PAID:
            return obj.status == Compensation.Status.PAID
        if kind == Kind.COMPENSATION_REOPENED:
            return obj.status == Compensation.Status.REOPENED
        return obj.status != Compensation.Status.PAID
    return False


def attachment(notification, obj):
    """The .ics invitation for an accepted engagement."""
    if notification.kind == Kind.REQUEST_ACCEPTED and isinstance(obj, ParticipationRequest):
        return engagement_invitation(obj.engagement, notification.url)
    if (
        notification.kind == Kind.REQUEST_ANSWERED
        and isinstance(obj, ParticipationRequest)
        and obj.status == Status.ACCEPTED
    ):
        return engagement_invitation(obj.engagement, notification.url)
    return None
