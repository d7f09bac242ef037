"""Completion of an engagement and the compensation that follows: fees, payment method,
payment and a payment not received.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from toolkit_portal.audit import record_audit
from toolkit_portal.rows import save_fields

from .models import (
    ZERO,
    Compensation,
    CompensationPolicy,
    Engagement,
    Expense,
    PaymentMethod,
    RateBasis,
)
from .services_common import (
    EngagementError,
    Status,
    _is_coordinator_of,
    _require_coordinator,
    _require_owner,
    consultant_names,
)
from .services_engagements import change_request_status, rate_card_entry
from .services_expenses import _decide

# Completion and compensation ---------------------------------------------------------------


def compute_fee(engagement, *, hours_worked, preparation_hours, travel_hours):
    """Flat, or hours × the offered hourly rate; preparation and travel time count unless the
    partnership's rate card for this kind says otherwise."""
    if engagement.compensation_basis == RateBasis.FLAT:
        return engagement.compensation_amount
    entry = rate_card_entry(engagement.partnership, engagement.kind)
    hours = hours_worked
    if entry is None or entry.pays_preparation:
        hours += preparation_hours
    if entry is None or entry.pays_travel:
        hours += travel_hours
    return (engagement.compensation_amount * hours).quantize(Decimal("0.01"))


@transaction.atomic
def complete_engagement(*, engagement, actor, records, now=None):
    """Mark an engagement completed and create a compensation record per accepted consultant.

    `records` maps a request id to {"hours_worked", "preparation_hours", "travel_hours",
    "expenses": [{"kind", "amount", "note"}], "decisions": {expense id: {"approve": bool,
    "message": str}}}. "expenses" are lines the coordinator enters, approved as entered;
    "decisions" approve or query the lines the consultant added. A line left undecided
    waits for a decision on the engagement page (and the payment waits for it).
    """
    now = now or timezone.now()
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    _require_coordinator(actor, engagement.partnership)
    if not engagement.is_open():
        raise EngagementError(_("This engagement is already completed or cancelled."))
    if now < engagement.starts_at:
        raise EngagementError(_("An engagement can be completed only once it has started."))
    unconfirmed = list(
        engagement.requests.filter(status=Status.CHANGED).select_related("consultant")
    )
    if unconfirmed:
        raise EngagementError(
            _(
                "The terms changed and not every consultant has confirmed them yet: "
                "%(names)s. Wait for the answer, or cancel that request, before marking the "
                "engagement completed."
            )
            % {"names": consultant_names(unconfirmed)}
        )
    accepted = list(engagement.requests.filter(status=Status.ACCEPTED).select_related("consultant"))
    missing = [r for r in accepted if str(r.pk) not in {str(k) for k in records}]
    if missing:
        raise EngagementError(_("Record the hours of every accepted consultant."))
    due_on = timezone.localdate(now) + timedelta(days=settings.COMPENSATION_DUE_DAYS)
    by_id = {str(k): v for k, v in records.items()}
    for request in accepted:
        record = by_id[str(request.pk)]
        _check_hours(record)
        save_fields(
            request,
            hours_worked=record["hours_worked"],
            preparation_hours=record.get("preparation_hours") or ZERO,
            travel_hours=record.get("travel_hours") or ZERO,
        )
        change_request_status(request=request, to_status=Status.COMPLETED, actor=actor, now=now)
        _enter_expenses(request, record.get("expenses", []), actor=actor, now=now)
        _decide_at_completion(request, record.get("decisions") or {}, actor=actor, now=now)
        fee = compute_fee(
            engagement,
            hours_worked=request.hours_worked,
            preparation_hours=request.preparation_hours,
            travel_hours=request.travel_hours,
        )
        compensation = Compensation(
            request=request,
            partnership=engagement.partnership,
            consultant=request.consultant,
            fee=fee,
            due_on=due_on,
        )
        compensation.settle()
        compensation.save()
        record_audit(
            actor,
            "survivors.compensation.created",
            compensation,
            amount=str(fee),
            expenses=str(compensation.expenses_total),
        )
    # Requests never answered cannot be answered any more.
    for request in engagement.requests.filter(status=Status.PENDING):
        change_request_status(request=request, to_status=Status.CANCELLED, actor=actor, now=now)
    save_fields(engagement, status=Engagement.Status.COMPLETED, completed_at=now)
    record_audit(actor, "survivors.engagement.completed", engagement)
    return engagement


def _enter_expenses(request, entered, *, actor, now):
    """Lines a coordinator enters at completion: approved as entered, by that coordinator."""
    expenses = Expense.objects.bulk_create(
        [
            Expense(
                request=request,
                kind=e["kind"],
                amount=e["amount"],
                note=e.get("note", ""),
                added_by=Expense.Source.COORDINATOR,
                status=Expense.Status.APPROVED,
                decided_by=actor,
                decided_at=now,
            )
            for e in entered
            if e.get("amount")
        ]
    )
    for expense in expenses:
        record_audit(
            actor,
            "survivors.expense.entered",
            expense,
            kind=expense.kind,
            amount=str(expense.amount),
        )


def _decide_at_completion(request, decisions, *, actor, now):
    if not decisions:
        return
    lines = Expense.objects.select_for_update().filter(
        request=request, added_by=Expense.Source.CONSULTANT, pk__in=list(decisions)
    )
    by_id = {str(k): v for k, v in decisions.items()}
    for expense in lines:
        decision = by_id[str(expense.pk)]
        _decide(
            expense,
            actor=actor,
            approve=decision["approve"],
            message=decision.get("message", ""),
            now=now,
        )


def _check_hours(record):
    for field in ("hours_worked", "preparation_hours", "travel_hours"):
        value = record.get(field) or ZERO
        if value < 0 or value > 1000:
            raise EngagementError(_("Hours must be between 0 and 1000."))
    for expense in record.get("expenses", []):
        if expense.get("amount") is not None and expense["amount"] < 0:
            raise EngagementError(_("An expense cannot be negative."))


@transaction.atomic
def choose_payment_method(*, compensation, actor, method):
    compensation = Compensation.objects.select_for_update().get(pk=compensation.pk)
    _require_owner(actor, compensation.consultant)
    policy = CompensationPolicy.objects.filter(partnership=compensation.partnership).first()
    offered = policy.offered_methods() if policy else [m for m, _l in PaymentMethod.choices]
    if method not in offered:
        raise EngagementError(_("This partnership does not offer that payment method."))
    if compensation.is_paid():
        raise EngagementError(_("This payment is already recorded as paid."))
    compensation.payment_method = method
    compensation.save(update_fields=["payment_method"])
    record_audit(actor, "survivors.compensation.method_chosen", compensation, method=method)
    return compensation


@transaction.atomic
def mark_compensation_paid(*, compensation, actor, paid_on, method, reference=""):
    compensation = Compensation.objects.select_for_update().get(pk=compensation.pk)
    if not (actor.is_portal_admin or _is_coordinator_of(actor, compensation.partnership)):
        raise EngagementError(_("Only the partnership's coordinators or an admin can do that."))
    if compensation.is_paid():
        raise EngagementError(_("This payment is already recorded as paid."))
    if paid_on > timezone.localdate():
        raise EngagementError(_("The payment date cannot be in the future."))
    if method not in PaymentMethod.values:
        raise EngagementError(_("Choose how it was paid."))
    # Her lines: each one waiting for a decision is decided first (the coordinator can do it
    # now); a queried one is not paid with this payment, and is left unpaid for good.
    lines = Expense.objects.filter(request_id=compensation.request_id)
    waiting = lines.filter(status=Expense.Status.SUBMITTED).count()
    if waiting:
        raise EngagementError(
            ngettext(
                "%(count)d expense line is waiting for a decision: approve or query it on the "
                "engagement page before recording the payment.",
                "%(count)d expense lines are waiting for a decision: approve or query them on "
                "the engagement page before recording the payment.",
                waiting,
            )
            % {"count": waiting}
        )
    compensation.settle()
    save_fields(
        compensation,
        "expenses_total",
        "amount",
        status=Compensation.Status.PAID,
        paid_on=paid_on,
        paid_method=method,
        paid_reference=reference,
        marked_paid_by=actor,
    )
    compensation.queried_left_out = lines.filter(status=Expense.Status.QUERIED).count()
    record_audit(
        actor,
        "survivors.compensation.paid",
        compensation,
        amount=str(compensation.amount),
        queried_left_out=compensation.queried_left_out,
    )
    return compensation


@transaction.atomic
def report_not_received(*, compensation, actor, note, now=None):
    compensation = Compensation.objects.select_for_update().get(pk=compensation.pk)
    _require_owner(actor, compensation.consultant)
    if not compensation.is_paid():
        raise EngagementError(_("Only a payment recorded as paid can be reported as not received."))
    save_fields(
        compensation,
        status=Compensation.Status.REOPENED,
        not_received_note=note,
        reopened_at=now or timezone.now(),
    )
    record_audit(actor, "survivors.compensation.reopened", compensation)
    return compensation


def paid_total_in_year(profile, year):
    return Compensation.objects.owed_to(profile).paid_in_year(year).total()
