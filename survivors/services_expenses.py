"""A consultant's expense lines and the coordinators' decisions on them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from toolkit_portal.audit import record_audit
from toolkit_portal.rows import save_fields

from .models import (
    QUERY_MAX_LENGTH,
    Compensation,
    Expense,
    ParticipationRequest,
)
from .services_common import EngagementError, _require_coordinator, _require_owner

# Expenses -----------------------------------------------------------------------------------
#
# Once she accepted an engagement, and until it is paid, a consultant adds her own expense
# lines (mileage, childcare, meals, other) with an optional receipt. The partnership's
# coordinators approve or query each line: a queried line goes back to her, and once she
# changes it, it waits for a decision again. An approved line is locked and paid with the
# compensation (Compensation.settle sums it). Rows are locked in one order everywhere: the
# request, its compensation, the line; mark_compensation_paid locks the compensation.


def _locked_request(request_id):
    """The request and its compensation (if any) locked in that order, then read fresh."""
    list(ParticipationRequest.objects.select_for_update().filter(pk=request_id).values("pk"))
    list(Compensation.objects.select_for_update().filter(request_id=request_id).values("pk"))
    return ParticipationRequest.objects.select_related(
        "consultant", "engagement__partnership", "compensation"
    ).get(pk=request_id)


def _expenses_closed(request, *, hers):
    compensation = getattr(request, "compensation", None)
    if compensation is not None and compensation.is_paid():
        return _("This engagement is already paid: its expenses can no longer change.")
    if hers:
        return _("You can add expenses to an engagement once you have accepted it.")
    return _("Expenses can be decided only for a consultant who accepted the engagement.")


def _open_for_her(request_id, actor):
    request = _locked_request(request_id)
    _require_owner(actor, request.consultant)
    if not request.takes_expenses():
        raise EngagementError(_expenses_closed(request, hers=True))
    return request


def _her_line(expense, actor):
    request = _open_for_her(expense.request_id, actor)
    line = Expense.objects.select_for_update().get(pk=expense.pk)
    if line.is_approved() or not line.is_hers():
        raise EngagementError(_("This expense is approved: it can no longer be changed."))
    line.request = request
    return line


def _check_line(expense, *, exclude=()):
    """The model's checks (kind, amount, the receipt's type and size), as a readable error."""
    if expense.amount is None or expense.amount <= 0:
        raise EngagementError(_("Enter the amount of the expense, above zero."))
    try:
        expense.full_clean(exclude=["request", *exclude])
    except ValidationError as error:
        raise EngagementError(" ".join(error.messages)) from None


def _delete_receipt_later(name):
    # The file goes only once the row no longer names it, for good (after the commit).
    storage = Expense._meta.get_field("receipt").storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def add_expense(*, request, actor, kind, amount, note="", receipt=None):
    """She adds an expense line to an engagement she accepted; it waits for a decision."""
    request = _open_for_her(request.pk, actor)
    expense = Expense(
        request=request,
        kind=kind,
        amount=amount,
        note=note,
        added_by=Expense.Source.CONSULTANT,
        status=Expense.Status.SUBMITTED,
    )
    if receipt:
        expense.receipt = receipt
    _check_line(expense)
    expense.save()
    _audit_line(actor, "survivors.expense.added", expense)
    return expense


def _audit_line(actor, code, line, **extra):
    record_audit(
        actor,
        code,
        line,
        kind=line.kind,
        amount=str(line.amount),
        receipt=bool(line.receipt),
        **extra,
    )


@transaction.atomic
def change_expense(*, expense, actor, kind, amount, note="", receipt=None, remove_receipt=False):
    """She changes a line not yet approved (a new receipt replaces the old one); it waits for
    a decision again, the coordinator's question kept beside it."""
    line = _her_line(expense, actor)
    old_receipt = line.receipt.name
    queried = line.is_queried()
    line.kind, line.amount, line.note = kind, amount, note
    if receipt:
        line.receipt = receipt
    elif remove_receipt:
        line.receipt = ""
    line.status = Expense.Status.SUBMITTED
    _check_line(line, exclude=[] if receipt else ["receipt"])
    line.save()
    if old_receipt and line.receipt.name != old_receipt:
        _delete_receipt_later(old_receipt)
    _audit_line(actor, "survivors.expense.changed", line, after_query=queried)
    return line


@transaction.atomic
def remove_expense(*, expense, actor):
    """She removes a line not yet approved, with its receipt."""
    line = _her_line(expense, actor)
    name = line.receipt.name
    record_audit(actor, "survivors.expense.removed", line, kind=line.kind, amount=str(line.amount))
    line.delete()
    if name:
        _delete_receipt_later(name)


def _line_to_decide(expense, actor):
    line = Expense.objects.select_related("request__engagement__partnership").get(pk=expense.pk)
    _require_coordinator(actor, line.request.engagement.partnership)
    request = _locked_request(line.request_id)
    if not request.takes_expenses():
        raise EngagementError(_expenses_closed(request, hers=False))
    line = Expense.objects.select_for_update().get(pk=expense.pk)
    line.request = request
    return line


@transaction.atomic
def approve_expense(*, expense, actor, now=None):
    """A coordinator of the partnership approves a line: it is locked, and paid with the
    compensation."""
    line = _line_to_decide(expense, actor)
    _decide(line, actor=actor, approve=True, now=now or timezone.now())
    return line


@transaction.atomic
def query_expense(*, expense, actor, message, now=None):
    """A coordinator of the partnership asks about a line: she is told (inbox and email,
    survivors/reminders.py) and can change it; it is not paid unless approved."""
    line = _line_to_decide(expense, actor)
    _decide(line, actor=actor, approve=False, message=message, now=now or timezone.now())
    return line


def _decide(line, *, actor, approve, now, message=""):
    if line.is_approved():
        raise EngagementError(_("This expense is already approved."))
    if approve:
        line.status = Expense.Status.APPROVED
    else:
        message = message.strip()
        if not message:
            raise EngagementError(_("Write a short question for the consultant."))
        if len(message) > QUERY_MAX_LENGTH:
            raise EngagementError(
                _("Keep the question to %(max)d characters.") % {"max": QUERY_MAX_LENGTH}
            )
        line.status = Expense.Status.QUERIED
        line.query_message = message
    save_fields(line, "status", "query_message", decided_by=actor, decided_at=now)
    record_audit(
        actor, f"survivors.expense.{line.status}", line, kind=line.kind, amount=str(line.amount)
    )
    if approve:
        compensation = Compensation.objects.filter(request_id=line.request_id).first()
        if compensation is not None:
            compensation.settle()
            compensation.save(update_fields=["expenses_total", "amount"])
