"""What is due about participation requests, engagements and compensation.

Each rule is a query over the current rows that leaves out what was already recorded, so a
sweep costs little when nothing changed. Delays are settings (REMINDER_*).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
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
    Value,
)
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Membership
from toolkit_portal.models import Notification, User
from toolkit_portal.notifications import Due

from . import services
from .calendar import engagement_invitation
from .models import Compensation, Engagement, Expense, ParticipationRequest, ReminderKind


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


def coordinators_by_partnership(partnership_ids):
    """{partnership id: [user ids]} of approved, active coordinators."""
    result = {}
    rows = Membership.objects.filter(
        partnership_id__in=set(partnership_ids),
        role=Membership.Role.COORDINATOR,
        user__is_active=True,
        user__approved_at__isnull=False,
    ).values_list("partnership_id", "user_id")
    for partnership_id, user_id in rows:
        result.setdefault(partnership_id, []).append(user_id)
    return result


def _consultant_due(kind, request, occasion, url, label):
    profile = request.consultant
    return Due(
        kind=kind,
        recipient_id=profile.user_id,
        obj=request,
        occasion=occasion,
        url=url,
        label=label,
        email_wanted=profile.wants_email_for(PREFERENCE[kind]),
    )


def request_new(request):
    """A new request, for the consultant's inbox. The service records it as it sends the
    request, so it shows at once; the sweep finds the same row (kind, request, recipient,
    "sent") already recorded and adds none, and delivers its email as any other."""
    return _consultant_due(
        Kind.REQUEST_NEW,
        request,
        "sent",
        request.get_absolute_url(),
        request.engagement.display_title,
    )


def _requests(*statuses):
    return ParticipationRequest.objects.filter(
        status__in=statuses, consultant__isnull=False
    ).select_related("consultant", "engagement")


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


def due(now):
    yield from _request_notifications(now)
    yield from _engagement_soon(now)
    yield from _compensation_notifications(now)
    yield from _expense_notifications(now)


def _request_notifications(now):
    content_type = ContentType.objects.get_for_model(ParticipationRequest)

    def recorded(kind, per_status):
        found = Notification.objects.filter(
            kind=kind, content_type=content_type, object_id=OuterRef("id_text")
        )
        # An answer can change (accepted, then withdrawn): each status is its own occasion.
        return found.filter(occasion=OuterRef("status")) if per_status else found

    def missing(queryset, kind, per_status=False):
        return queryset.alias(id_text=_id_as_text()).filter(~Exists(recorded(kind, per_status)))

    # A new request: tell the consultant at once.
    for request in missing(_requests(Status.PENDING), Kind.REQUEST_NEW):
        yield request_new(request)

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
    for request in missing(waiting, Kind.REQUEST_REMINDER):
        yield _consultant_due(
            Kind.REQUEST_REMINDER,
            request,
            "halfway",
            request.get_absolute_url(),
            request.engagement.display_title,
        )

    # Cancelled by a coordinator: tell the consultant. A release has its own, kinder notice.
    cancelled = _requests(Status.CANCELLED).filter(released_at__isnull=True)
    for request in missing(cancelled, Kind.REQUEST_CANCELLED):
        yield _consultant_due(
            Kind.REQUEST_CANCELLED,
            request,
            "cancelled",
            request.get_absolute_url(),
            request.engagement.display_title,
        )
    released = _requests(Status.CANCELLED).filter(released_at__isnull=False)
    for request in missing(released, Kind.REQUEST_RELEASED):
        yield _consultant_due(
            Kind.REQUEST_RELEASED,
            request,
            "released",
            request.get_absolute_url(),
            request.engagement.display_title,
        )

    # The terms changed while she was asked or had accepted: tell her, once per change (the
    # moment of the change is the occasion). A rare duplicate beats a lost notice here too.
    changed = (
        _requests(Status.PENDING, Status.CHANGED)
        .filter(terms_changed_at__isnull=False)
        .alias(id_text=_id_as_text())
        .annotate(
            terms_occasion=Concat(
                Value("terms:"), Cast("terms_changed_at", output_field=CharField())
            )
        )
        .filter(
            ~Exists(
                Notification.objects.filter(
                    kind=Kind.REQUEST_TERMS_CHANGED,
                    content_type=content_type,
                    object_id=OuterRef("id_text"),
                    occasion=OuterRef("terms_occasion"),
                )
            )
        )
    )
    for request in changed:
        yield _consultant_due(
            Kind.REQUEST_TERMS_CHANGED,
            request,
            request.terms_occasion,
            request.get_absolute_url(),
            request.engagement.display_title,
        )

    # Accepted: confirm to the consultant, with the calendar invitation.
    for request in missing(_requests(Status.ACCEPTED), Kind.REQUEST_ACCEPTED):
        yield _consultant_due(
            Kind.REQUEST_ACCEPTED,
            request,
            "accepted",
            request.get_absolute_url(),
            request.engagement.display_title,
        )

    # Answered or expired: tell the partnership's coordinators.
    coordinator_kinds = [
        (Kind.REQUEST_ANSWERED, [Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN]),
        (Kind.REQUEST_EXPIRED, [Status.EXPIRED]),
    ]
    for kind, statuses in coordinator_kinds:
        answered = list(
            missing(
                ParticipationRequest.objects.filter(status__in=statuses).select_related(
                    "engagement"
                ),
                kind,
                per_status=True,
            )
        )
        coordinators = coordinators_by_partnership(r.engagement.partnership_id for r in answered)
        for request in answered:
            for user_id in coordinators.get(request.engagement.partnership_id, []):
                yield Due(
                    kind=kind,
                    recipient_id=user_id,
                    obj=request,
                    occasion=request.status,
                    url=request.engagement.get_absolute_url(),
                    label=request.engagement.display_title,
                )


def _id_as_text():
    # Notification.object_id is text (it refers to rows of any model).
    return Cast("id", output_field=CharField())


def _engagement_soon(now):
    window = now + timedelta(days=settings.REMINDER_ENGAGEMENT_DAYS_BEFORE)
    content_type = ContentType.objects.get_for_model(ParticipationRequest)
    accepted = (
        _requests(Status.ACCEPTED)
        .filter(engagement__starts_at__gt=now, engagement__starts_at__lte=window)
        .alias(id_text=_id_as_text())
        .filter(
            ~Exists(
                Notification.objects.filter(
                    kind=Kind.ENGAGEMENT_SOON,
                    content_type=content_type,
                    object_id=OuterRef("id_text"),
                )
            )
        )
    )
    for request in accepted:
        yield _consultant_due(
            Kind.ENGAGEMENT_SOON,
            request,
            request.engagement.starts_at.isoformat(),
            request.get_absolute_url(),
            request.engagement.display_title,
        )
    engagement_type = ContentType.objects.get_for_model(Engagement)
    engagements = list(
        Engagement.objects.filter(
            status=Engagement.Status.OPEN,
            starts_at__gt=now,
            starts_at__lte=window,
            requests__status=Status.ACCEPTED,
        )
        .distinct()
        .alias(id_text=_id_as_text())
        .filter(
            ~Exists(
                Notification.objects.filter(
                    kind=Kind.ENGAGEMENT_SOON,
                    content_type=engagement_type,
                    object_id=OuterRef("id_text"),
                )
            )
        )
    )
    coordinators = coordinators_by_partnership(e.partnership_id for e in engagements)
    for engagement in engagements:
        for user_id in coordinators.get(engagement.partnership_id, []):
            yield Due(
                kind=Kind.ENGAGEMENT_SOON,
                recipient_id=user_id,
                obj=engagement,
                occasion=engagement.starts_at.isoformat(),
                url=engagement.get_absolute_url(),
                label=engagement.display_title,
            )


def _compensation_notifications(now):
    today = timezone.localdate(now)
    records = Compensation.objects.select_related("request__engagement", "consultant")
    content_type = ContentType.objects.get_for_model(Compensation)

    def told(kind, occasion):
        return Exists(
            Notification.objects.filter(
                kind=kind,
                content_type=content_type,
                object_id=OuterRef("id_text"),
                occasion=OuterRef(occasion),
            )
        )

    # Whole weeks overdue, as the occasion of the weekly reminder ("2026-01-31:week2").
    weeks = Func(
        Value(today, output_field=DateField()),
        F("due_on"),
        template="((%(expressions)s) / 7)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )
    # A record whose reminder for this week (or due-soon notice) is recorded is left out:
    # its escalations were recorded by the same sweep, so a sweep does not walk them all.
    unpaid = list(
        records.exclude(status=Compensation.Status.PAID)
        .filter(due_on__lte=today + timedelta(days=settings.REMINDER_COMPENSATION_DAYS_BEFORE))
        .alias(
            id_text=_id_as_text(),
            due_text=Cast("due_on", output_field=CharField()),
            week_text=Concat(
                Cast("due_on", output_field=CharField()),
                Value(":week"),
                Cast(weeks, output_field=CharField()),
            ),
        )
        .exclude(Q(due_on__gte=today) & told(Kind.COMPENSATION_DUE_SOON, "due_text"))
        .exclude(Q(due_on__lt=today) & told(Kind.COMPENSATION_OVERDUE, "week_text"))
    )
    coordinators = coordinators_by_partnership(c.partnership_id for c in unpaid)
    admins = list(User.objects.admins().values_list("id", flat=True))
    list_url = reverse("survivors:compensation-list")
    for record in unpaid:
        partnership_coordinators = coordinators.get(record.partnership_id, [])
        label = record.request.engagement.display_title
        if record.due_on >= today:
            for user_id in partnership_coordinators:
                yield Due(
                    Kind.COMPENSATION_DUE_SOON, user_id, record, str(record.due_on), list_url, label
                )
            continue
        # Overdue: weekly to the coordinator responsible, once to the others and the admins.
        weeks = (today - record.due_on).days // 7
        responsible = record.request.engagement.created_by_id
        if responsible not in partnership_coordinators:
            responsible = partnership_coordinators[0] if partnership_coordinators else None
        if responsible:
            occasion = f"{record.due_on}:week{weeks}"
            yield Due(Kind.COMPENSATION_OVERDUE, responsible, record, occasion, list_url, label)
        for user_id in {*partnership_coordinators, *admins} - {responsible}:
            yield Due(
                Kind.COMPENSATION_ESCALATED, user_id, record, str(record.due_on), list_url, label
            )

    # Paid or reopened: tell the consultant (and the coordinators of a reopened one). A
    # payment already told is left out here, so a sweep does not walk every past payment.
    told_paid = Notification.objects.filter(
        kind=Kind.COMPENSATION_PAID,
        content_type=content_type,
        object_id=OuterRef("id_text"),
        occasion=OuterRef("paid_occasion"),
    )
    paid_not_told = (
        records.filter(status=Compensation.Status.PAID, consultant__isnull=False)
        .alias(
            id_text=_id_as_text(),
            paid_occasion=Concat(Value("paid:"), Cast("paid_on", output_field=CharField())),
        )
        .filter(~Exists(told_paid))
        .order_by()
    )
    reopened = list(
        records.filter(status=Compensation.Status.REOPENED, consultant__isnull=False).order_by()
    )
    reopened_coordinators = coordinators_by_partnership(r.partnership_id for r in reopened)
    for record in [*paid_not_told, *reopened]:
        if record.status == Compensation.Status.PAID:
            kind, occasion = Kind.COMPENSATION_PAID, f"paid:{record.paid_on}"
        else:
            kind, occasion = Kind.COMPENSATION_REOPENED, f"reopened:{record.reopened_at}"
        yield Due(
            kind,
            record.consultant.user_id,
            record,
            occasion,
            record.get_absolute_url(),
            record.request.engagement.display_title,
            email_wanted=record.consultant.wants_email_for(PREFERENCE[kind]),
        )
        if kind == Kind.COMPENSATION_REOPENED:
            for user_id in reopened_coordinators.get(record.partnership_id, []):
                yield Due(
                    kind,
                    user_id,
                    record,
                    occasion,
                    list_url,
                    record.request.engagement.display_title,
                )


def _expense_notifications(now):
    """A line of hers was queried: tell her, once per question (the moment of the decision is
    the occasion, so a second question after she changed the line is told too). Her own new
    or changed lines reach the coordinators only through the engagement page. As for the
    other notices about payments, a rare duplicate beats a lost question."""
    content_type = ContentType.objects.get_for_model(Expense)
    queried = (
        Expense.objects.filter(
            status=Expense.Status.QUERIED,
            decided_at__isnull=False,
            request__consultant__isnull=False,
        )
        .select_related("request__consultant", "request__engagement")
        .alias(id_text=_id_as_text())
        .annotate(
            query_occasion=Concat(Value("queried:"), Cast("decided_at", output_field=CharField()))
        )
        .filter(
            ~Exists(
                Notification.objects.filter(
                    kind=Kind.EXPENSE_QUERIED,
                    content_type=content_type,
                    object_id=OuterRef("id_text"),
                    occasion=OuterRef("query_occasion"),
                )
            )
        )
        .order_by()
    )
    for expense in queried:
        request = expense.request
        yield Due(
            kind=Kind.EXPENSE_QUERIED,
            recipient_id=request.consultant.user_id,
            obj=expense,
            occasion=expense.query_occasion,
            url=f"{request.get_absolute_url()}#expenses",
            label=request.engagement.display_title,
            email_wanted=request.consultant.wants_email_for(PREFERENCE[Kind.EXPENSE_QUERIED]),
        )


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
