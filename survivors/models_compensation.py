"""What a consultant is paid: her expense lines with their receipts, and the compensation
that settles an engagement.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Extract
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from toolkit_portal.storage import private_storage
from toolkit_portal.uploads import (
    CERTIFICATE_EXTENSIONS,
    read_head,
    sniff_certificate_type,
    validate_certificate,
)

from .models_common import ZERO, PaymentMethod, _managed_by, choice_label
from .models_engagements import ParticipationRequest


def validate_receipt(file):
    """A receipt passes the same checks as a training certificate (toolkit_portal.uploads: a
    PDF or an image recognised by its first bytes, within the same size limit), told in a
    receipt's words."""
    try:
        validate_certificate(file)
    except ValidationError as error:
        messages = {
            "too_large": _("The file is %(size)s; a receipt can be at most %(limit)s."),
            "wrong_type": _("A receipt must be a PDF or an image (PNG, JPEG or WebP)."),
        }
        if error.code not in messages:
            raise
        raise ValidationError(messages[error.code], code=error.code, params=error.params) from None


# A coordinator's question about a line: short, read on a phone.
QUERY_MAX_LENGTH = 500


def receipt_path(expense, filename):
    # Her file name is not kept: it may carry her legal name or address.
    extension = CERTIFICATE_EXTENSIONS.get(expense.receipt_type, "bin")
    return f"receipts/{uuid.uuid4().hex}.{extension}"


class ExpenseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lines the user may see (and whose receipts they may open): her own, those of the
        partnerships an approved coordinator coordinates, and every line for admins."""
        from partnerships.models import Partnership

        if not user.is_authenticated:
            return self.none()
        if user.is_portal_admin:
            return self.all()
        coordinated = Partnership.objects.coordinated_by(user).values("pk")
        return self.filter(
            Q(request__consultant__user=user) | Q(request__engagement__partnership__in=coordinated)
        )

    def of_consultant(self, user):
        """Her own lines, the only ones she may change."""
        return self.filter(request__consultant__user=user)

    def payable(self):
        """Lines paid with the compensation: approved ones. A submitted or queried line is
        not paid until it is approved."""
        return self.filter(status=Expense.Status.APPROVED)

    def total(self):
        return self.aggregate(total=Sum("amount"))["total"] or ZERO


class Expense(models.Model):
    """One expense line of a consultant on one engagement: entered by her (with an optional
    receipt) and decided on by the partnership's coordinators, or entered by a coordinator
    at completion (approved as entered). Approved lines are paid with the compensation."""

    class Kind(models.TextChoices):
        MILEAGE = "mileage", _("Mileage")
        CHILDCARE = "childcare", _("Childcare")
        MEALS = "meals", _("Meals")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting a decision")
        # An expense ("un gasto") is approved: Spanish needs the masculine.
        APPROVED = "approved", pgettext_lazy("an expense", "Approved")
        QUERIED = "queried", _("Queried")

    class Source(models.TextChoices):
        CONSULTANT = "consultant", _("The consultant")
        COORDINATOR = "coordinator", _("A coordinator")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.CASCADE, related_name="expenses"
    )
    kind = models.CharField(_("expense"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (USD)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    added_by = models.CharField(
        _("added by"), max_length=12, choices=Source.choices, default=Source.CONSULTANT
    )
    status = models.CharField(
        _("decision"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    receipt = models.FileField(
        _("receipt"),
        storage=private_storage,
        upload_to=receipt_path,
        blank=True,
        validators=[validate_receipt],
    )
    receipt_type = models.CharField(_("receipt type"), max_length=40, blank=True, editable=False)
    # The coordinator's question when the line is queried; kept when she changes the line,
    # so the coordinator sees what was asked beside her answer.
    query_message = models.CharField(_("question"), max_length=QUERY_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        indexes = [models.Index(fields=["request", "status"], name="expense_request_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.receipt and not self.receipt._committed:
            kind = sniff_certificate_type(read_head(self.receipt.file))
            self.receipt_type = kind[0] if kind else ""
        elif not self.receipt:
            self.receipt_type = ""
        super().save(*args, **kwargs)

    def kind_label(self):
        return choice_label(self.Kind, self.kind)

    def status_label(self):
        return choice_label(self.Status, self.status)

    def is_approved(self):
        return self.status == self.Status.APPROVED

    def is_queried(self):
        return self.status == self.Status.QUERIED

    def awaits_decision(self):
        return self.status == self.Status.SUBMITTED

    def is_hers(self):
        return self.added_by == self.Source.CONSULTANT

    def is_open_to_her(self):
        """Whether she can still change or remove it: her own line, not approved, on an
        engagement not yet paid. (Lines read through their request know it: no query.)"""
        return self.is_hers() and not self.is_approved() and self.request.takes_expenses()

    def is_open_to_decision(self):
        """Whether the coordinators can still approve or query it."""
        return not self.is_approved() and self.request.takes_expenses()

    def receipt_download_name(self):
        extension = CERTIFICATE_EXTENSIONS.get(self.receipt_type, "bin")
        return f"receipt-{self.kind}-{self.created_at:%Y-%m-%d}.{extension}"


class CompensationQuerySet(models.QuerySet):
    def managed_by(self, user):
        return _managed_by(self, user)

    def owed_to(self, profile):
        return self.filter(consultant=profile)

    def unpaid(self):
        return self.exclude(status=Compensation.Status.PAID)

    def overdue(self, today=None):
        return self.unpaid().filter(due_on__lt=today or timezone.localdate())

    def paid_in_year(self, year):
        return self.filter(status=Compensation.Status.PAID, paid_on__year=year)

    def total(self):
        return self.aggregate(total=Sum("amount"))["total"] or ZERO

    def owed_first(self):
        """Owed now first (`owed_first_order`), the order annotated as `owed_first` so that a
        list can page by it."""
        return self.annotate(owed_first=owed_first_order()).order_by("owed_first", "id")


class CompensationStatus(models.TextChoices):
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")
    REOPENED = "reopened", _("Reported not received")


# What is owed now before what was paid: unpaid by due date (soonest first), then paid,
# newest payment first. One sortable number, so a list still pages by one column; the
# indexes of Compensation.Meta hold it, so a page is read in order instead of sorting every
# record first.
_PAID_AFTER = 10**11  # seconds: past every due date as an epoch


def owed_first_order():
    return Case(
        When(
            status=CompensationStatus.PAID,
            then=Value(2 * _PAID_AFTER) - Extract(Coalesce("paid_on", "due_on"), "epoch"),
        ),
        default=Extract("due_on", "epoch"),
        output_field=models.BigIntegerField(),
    )


class Compensation(models.Model):
    """What one consultant is owed for one completed engagement, and when it was paid."""

    Status = CompensationStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(
        ParticipationRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="compensation",
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="compensations",
    )
    consultant = models.ForeignKey(
        "survivors.ConsultantProfile",
        verbose_name=_("consultant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="compensations",
    )
    fee = models.DecimalField(_("fee (USD)"), max_digits=9, decimal_places=2)
    expenses_total = models.DecimalField(
        _("expenses (USD)"), max_digits=9, decimal_places=2, default=ZERO
    )
    amount = models.DecimalField(_("amount (USD)"), max_digits=9, decimal_places=2)
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DUE
    )
    payment_method = models.CharField(
        _("how to be paid"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_method = models.CharField(
        _("paid by"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    paid_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    marked_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked paid by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    not_received_note = models.TextField(_("note on the missing payment"), blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CompensationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("compensation record")
        verbose_name_plural = _("compensation records")
        indexes = [
            models.Index(fields=["partnership", "status", "due_on"]),
            # A coordinator's compensation list, by due date.
            models.Index(fields=["partnership", "due_on", "id"], name="compensation_list_idx"),
            # The reminder sweep's due-soon and overdue rules read the unpaid records only: a
            # few thousand of a hundred thousand.
            models.Index(
                fields=["due_on"], condition=~Q(status="paid"), name="compensation_unpaid_idx"
            ),
            # The compensation list, owed now first: a coordinator's, and an admin's.
            models.Index(
                F("partnership"), owed_first_order(), F("id"), name="compensation_owed_idx"
            ),
            models.Index(owed_first_order(), F("id"), name="compensation_owed_all_idx"),
        ]

    def __str__(self):
        return _("%(amount)s for %(request)s") % {"amount": self.amount, "request": self.request}

    def get_absolute_url(self):
        return reverse("survivors:my-compensation-detail", kwargs={"pk": self.pk})

    def is_paid(self):
        return self.status == self.Status.PAID

    def settle(self):
        """What is owed, summed in one place: the fee plus the approved expense lines (a
        submitted or queried line is not paid until approved). Services call it when the
        record is created, when a line is approved and before a payment is recorded."""
        self.expenses_total = Expense.objects.filter(request_id=self.request_id).payable().total()
        self.amount = self.fee + self.expenses_total
        return self.amount

    def status_label(self):
        return choice_label(self.Status, self.status)

    def payment_method_label(self):
        return choice_label(PaymentMethod, self.payment_method)

    @staticmethod
    def overdue_on(today, status, due_on):
        """Overdue: not paid and due before today. For a record, and for a list's rows of
        values (the compensation list reads no records)."""
        return status != CompensationStatus.PAID and due_on < today

    def is_overdue(self, today=None):
        return self.overdue_on(today or timezone.localdate(), self.status, self.due_on)

    def days_to_payment(self):
        completed = self.request.engagement.completed_at
        if not (self.paid_on and completed):
            return None
        return (self.paid_on - timezone.localdate(completed)).days
