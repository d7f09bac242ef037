"""A consultant's own expenses and receipts, at the service layer: who may
add, change, remove and decide on a line, what is paid, the receipt checks, the notice of a
question, and erasure."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from survivors import services
from survivors.models import Compensation, Expense, ParticipationRequest
from survivors.reminders import Kind
from tests.trainings.factories import PDF_BYTES, PNG_BYTES, pdf_upload
from toolkit_portal import notifications
from toolkit_portal.models import AuditEntry, Notification

from .factories import (
    EngagementFactory,
    ParticipationRequestFactory,
    complete,
    pay_by_check,
)

Status = ParticipationRequest.Status
Line = Expense.Status


def add(request, user, amount="24.50", kind="mileage", **extra):
    return services.add_expense(
        request=request, actor=user, kind=kind, amount=Decimal(amount), note="49 miles", **extra
    )


# Her lines --------------------------------------------------------------------------------------


def test_she_adds_a_line_with_a_receipt_and_it_waits_for_a_decision(accepted, consultant):
    line = add(accepted, consultant, receipt=pdf_upload("Maria Lopez receipt.pdf"))
    assert line.status == Line.SUBMITTED and line.is_hers()
    assert line.receipt_type == "application/pdf"
    # Her file name (which may carry her name) is not kept.
    assert line.receipt.name.startswith("receipts/") and "Maria" not in line.receipt.name
    assert line.receipt.read() == PDF_BYTES
    entry = AuditEntry.objects.get(action="survivors.expense.added")
    assert entry.object_id == str(line.pk) and entry.details["receipt"] is True


def test_only_she_adds_changes_or_removes_her_lines(
    accepted, other_consultant, coordinator, admin_user, consultant
):
    for someone in [other_consultant, coordinator, admin_user]:
        with pytest.raises(services.EngagementError, match="Only the consultant"):
            add(accepted, someone)
    line = add(accepted, consultant)
    for someone in [other_consultant, coordinator, admin_user]:
        with pytest.raises(services.EngagementError, match="Only the consultant"):
            services.change_expense(expense=line, actor=someone, kind="meals", amount=Decimal(1))
        with pytest.raises(services.EngagementError, match="Only the consultant"):
            services.remove_expense(expense=line, actor=someone)
    line.refresh_from_db()
    assert (line.kind, line.amount) == ("mileage", Decimal("24.50"))


def test_she_changes_and_removes_a_line_not_yet_decided(
    accepted, consultant, django_capture_on_commit_callbacks
):
    line = add(accepted, consultant, receipt=pdf_upload())
    old = line.receipt.name
    storage = line.receipt.storage
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.change_expense(
            expense=line,
            actor=consultant,
            kind="childcare",
            amount=Decimal("40"),
            note="Four hours",
            receipt=pdf_upload("new.pdf"),
        )
    assert (changed.kind, changed.amount, changed.note) == (
        "childcare",
        Decimal("40"),
        "Four hours",
    )
    assert changed.receipt.name != old and storage.exists(changed.receipt.name)
    assert not storage.exists(old)  # the replaced receipt is gone
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_expense(expense=changed, actor=consultant)
    assert not Expense.objects.exists()
    assert not storage.exists(changed.receipt.name)
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("pk"))
    assert actions[-3:] == [
        "survivors.expense.added",
        "survivors.expense.changed",
        "survivors.expense.removed",
    ]


def test_no_lines_before_she_accepted_or_after_she_left(held, profile, consultant):
    for status in [Status.PENDING, Status.DECLINED, Status.WITHDRAWN, Status.CANCELLED]:
        request = ParticipationRequestFactory(
            engagement=EngagementFactory(partnership=held.partnership),
            consultant=profile,
            status=status,
        )
        with pytest.raises(services.EngagementError, match="once you have accepted"):
            add(request, consultant)
    assert not Expense.objects.exists()


def test_an_amount_above_zero_and_a_known_kind(accepted, consultant):
    with pytest.raises(services.EngagementError, match="above zero"):
        add(accepted, consultant, amount="0")
    with pytest.raises(services.EngagementError, match="not a valid choice"):
        add(accepted, consultant, kind="jewellery")
    assert not Expense.objects.exists()


# Receipts: the certificate checks ----------------------------------------------------------------


def test_a_receipt_must_be_a_pdf_or_an_image(accepted, consultant):
    with pytest.raises(services.EngagementError, match="A receipt must be a PDF or an image"):
        add(accepted, consultant, receipt=pdf_upload("receipt.pdf", content=b"MZ\x90\x00 not"))
    assert not Expense.objects.exists()
    line = add(accepted, consultant, receipt=pdf_upload("r.png", content=PNG_BYTES))
    assert line.receipt_type == "image/png"


def test_a_receipt_has_the_certificates_size_limit(accepted, consultant, settings):
    settings.TRAINING_CERTIFICATE_MAX_BYTES = 1024
    big = PDF_BYTES + b"0" * 2048
    with pytest.raises(services.EngagementError, match=r"a receipt can be at most 1\.0"):
        add(accepted, consultant, receipt=pdf_upload("big.pdf", content=big))
    line = add(accepted, consultant)
    with pytest.raises(services.EngagementError, match="a receipt can be at most"):
        services.change_expense(
            expense=line,
            actor=consultant,
            kind="mileage",
            amount=Decimal("3"),
            receipt=pdf_upload("big.pdf", content=big),
        )
    line.refresh_from_db()
    assert not line.receipt and line.amount == Decimal("24.50")


# Decisions -------------------------------------------------------------------------------------


def test_only_a_coordinator_of_the_partnership_decides(
    accepted, consultant, other_consultant, other_coordinator, pending_coordinator
):
    line = add(accepted, consultant)
    for someone in [consultant, other_consultant, other_coordinator, pending_coordinator]:
        with pytest.raises(services.EngagementError, match="Only coordinators"):
            services.approve_expense(expense=line, actor=someone)
        with pytest.raises(services.EngagementError, match="Only coordinators"):
            services.query_expense(expense=line, actor=someone, message="Which trip?")
    line.refresh_from_db()
    assert line.status == Line.SUBMITTED and line.decided_by is None


def test_a_query_goes_back_to_her_and_her_change_comes_back_for_a_decision(
    accepted, consultant, coordinator
):
    line = add(accepted, consultant)
    with pytest.raises(services.EngagementError, match="short question"):
        services.query_expense(expense=line, actor=coordinator, message="   ")
    services.query_expense(expense=line, actor=coordinator, message="Which trip was it?")
    line.refresh_from_db()
    assert line.status == Line.QUERIED and line.decided_by == coordinator
    changed = services.change_expense(
        expense=line, actor=consultant, kind="mileage", amount=Decimal("20"), note="One way"
    )
    assert changed.status == Line.SUBMITTED
    assert changed.query_message == "Which trip was it?"  # kept beside her answer
    services.approve_expense(expense=changed, actor=coordinator)
    changed.refresh_from_db()
    assert changed.status == Line.APPROVED
    decisions = AuditEntry.objects.filter(object_id=str(line.pk)).values_list("action", flat=True)
    assert list(decisions.order_by("pk")) == [
        "survivors.expense.added",
        "survivors.expense.queried",
        "survivors.expense.changed",
        "survivors.expense.approved",
    ]


def test_an_approved_line_is_locked(accepted, consultant, coordinator):
    line = add(accepted, consultant)
    services.approve_expense(expense=line, actor=coordinator)
    with pytest.raises(services.EngagementError, match="approved"):
        services.change_expense(expense=line, actor=consultant, kind="meals", amount=Decimal(1))
    with pytest.raises(services.EngagementError, match="approved"):
        services.remove_expense(expense=line, actor=consultant)
    with pytest.raises(services.EngagementError, match="already approved"):
        services.query_expense(expense=line, actor=coordinator, message="Why?")
    line.refresh_from_db()
    assert (line.status, line.kind) == (Line.APPROVED, "mileage")


# What is owed and paid -------------------------------------------------------------------------


def test_approved_lines_are_summed_into_what_is_owed(held, accepted, consultant, coordinator):
    mileage = add(accepted, consultant, amount="24.50")
    meals = add(accepted, consultant, amount="15.00", kind="meals")
    complete(
        held,
        coordinator,
        accepted,
        decisions={
            mileage.pk: {"approve": True},
            meals.pk: {"approve": False, "message": "Was this a meal on the day?"},
        },
        # The coordinator can still enter a line: approved as entered.
        expenses=[{"kind": "other", "amount": Decimal("5.00"), "note": "Parking"}],
    )
    compensation = Compensation.objects.get(request=accepted)
    assert compensation.fee == Decimal("150.00")
    assert compensation.expenses_total == Decimal("29.50")  # 24.50 + 5.00; not the meal
    assert compensation.amount == Decimal("179.50")
    entered = Expense.objects.get(kind="other")
    assert (entered.added_by, entered.status, entered.decided_by) == (
        Expense.Source.COORDINATOR,
        Line.APPROVED,
        coordinator,
    )

    # She answers the question; once approved, the meal is owed too.
    services.change_expense(
        expense=meals, actor=consultant, kind="meals", amount=Decimal("15"), note="Lunch there"
    )
    compensation.refresh_from_db()
    assert compensation.amount == Decimal("179.50")  # not before it is approved
    services.approve_expense(expense=meals, actor=coordinator)
    compensation.refresh_from_db()
    assert compensation.expenses_total == Decimal("44.50")
    assert compensation.amount == Decimal("194.50")


def test_a_line_waiting_for_a_decision_stops_the_payment(held, accepted, consultant, coordinator):
    complete(held, coordinator, accepted)
    compensation = Compensation.objects.get(request=accepted)
    line = add(accepted, consultant)  # after completion, before the payment
    with pytest.raises(services.EngagementError, match="1 expense line is waiting for a decision"):
        pay_by_check(compensation, coordinator)
    compensation.refresh_from_db()
    assert not compensation.is_paid()
    services.approve_expense(expense=line, actor=coordinator)
    paid = pay_by_check(compensation, coordinator)
    assert paid.amount == Decimal("174.50") and paid.queried_left_out == 0


def test_a_queried_line_is_not_paid_and_then_closed(held, accepted, consultant, coordinator):
    line = add(accepted, consultant)
    complete(
        held, coordinator, accepted, decisions={line.pk: {"approve": False, "message": "Which?"}}
    )
    compensation = Compensation.objects.get(request=accepted)
    paid = pay_by_check(compensation, coordinator)
    assert paid.amount == Decimal("150.00") and paid.queried_left_out == 1
    assert AuditEntry.objects.get(action="survivors.compensation.paid").details == {
        "amount": "150.00",
        "queried_left_out": 1,
    }
    # Paid: no line of this engagement changes any more, on either side.
    with pytest.raises(services.EngagementError, match="already paid"):
        services.change_expense(expense=line, actor=consultant, kind="mileage", amount=Decimal(2))
    with pytest.raises(services.EngagementError, match="already paid"):
        services.approve_expense(expense=line, actor=coordinator)
    with pytest.raises(services.EngagementError, match="already paid"):
        add(accepted, consultant)
    # Reported not received, the payment is open again, and so are her lines.
    services.report_not_received(compensation=compensation, actor=consultant, note="Nothing")
    services.change_expense(expense=line, actor=consultant, kind="mileage", amount=Decimal(2))
    services.approve_expense(expense=line, actor=coordinator)
    compensation.refresh_from_db()
    assert compensation.amount == Decimal("152.00")


# The question reaches her ---------------------------------------------------------------------


def test_a_query_tells_her_by_inbox_and_email_once_per_question(
    accepted, consultant, coordinator, mailoutbox
):
    notifications.sweep(enqueue=False)  # what the accepted request itself tells
    before = Notification.objects.count()
    line = add(accepted, consultant)
    notifications.sweep(enqueue=False)
    # Her new line tells no one: the coordinators see it on the engagement page.
    assert Notification.objects.count() == before
    services.query_expense(expense=line, actor=coordinator, message="Which trip?")
    notifications.sweep(enqueue=False)
    notifications.sweep(enqueue=False)
    row = Notification.objects.get(kind=Kind.EXPENSE_QUERIED)
    assert row.recipient == consultant
    assert row.url == f"{accepted.get_absolute_url()}#expenses"
    notifications.deliver(row.pk)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.endswith(
        "A coordinator has a question about an expense you added."
    )
    assert "Which trip" not in mailoutbox[0].body  # the question stays in the portal

    services.change_expense(expense=line, actor=consultant, kind="mileage", amount=Decimal(3))
    services.query_expense(expense=line, actor=coordinator, message="And the date?")
    notifications.sweep(enqueue=False)
    assert Notification.objects.filter(kind=Kind.EXPENSE_QUERIED).count() == 2


def test_an_answered_question_is_not_sent(accepted, consultant, coordinator, mailoutbox):
    line = add(accepted, consultant)
    services.query_expense(expense=line, actor=coordinator, message="Which trip?")
    notifications.sweep(enqueue=False)
    services.approve_expense(expense=line, actor=coordinator)
    notifications.deliver(Notification.objects.get(kind=Kind.EXPENSE_QUERIED).pk)
    assert mailoutbox == []


def test_her_email_choice_is_kept(accepted, consultant, coordinator, profile, mailoutbox):
    profile.email_muted_kinds = ["expense_queried"]
    profile.save()
    line = add(accepted, consultant)
    services.query_expense(expense=line, actor=coordinator, message="Which trip?")
    notifications.sweep(enqueue=False)
    row = Notification.objects.get(kind=Kind.EXPENSE_QUERIED)
    notifications.deliver(row.pk)
    assert mailoutbox == []
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT  # in her inbox all the same


# Her data ---------------------------------------------------------------------------------------


def test_export_lists_her_lines(accepted, consultant, coordinator, profile):
    line = add(accepted, consultant, receipt=pdf_upload())
    services.query_expense(expense=line, actor=coordinator, message="Which trip?")
    exported = services.export_consultant_data(profile)["expenses"]
    assert exported == [
        {
            "engagement": accepted.engagement.title,
            "kind": "mileage",
            "amount": "24.50",
            "note": "49 miles",
            "added_by": "consultant",
            "status": "queried",
            "question": "Which trip?",
            "has_receipt": True,
            "added_at": line.created_at.isoformat(),
            "decided_at": Expense.objects.get().decided_at.isoformat(),
        }
    ]


def test_erasure_deletes_her_receipts_and_keeps_the_lines_for_the_books(
    held, accepted, consultant, coordinator, django_capture_on_commit_callbacks
):
    line = add(accepted, consultant, receipt=pdf_upload())
    services.approve_expense(expense=line, actor=coordinator)
    other = add(accepted, consultant, receipt=pdf_upload())
    services.query_expense(expense=other, actor=coordinator, message="Which trip?")
    storage = line.receipt.storage
    names = [line.receipt.name, other.receipt.name]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_consultant(user=consultant, actor=consultant)
    assert not any(storage.exists(name) for name in names)
    kept = list(Expense.objects.order_by("created_at").values("amount", "status", "note"))
    assert kept == [
        {"amount": Decimal("24.50"), "status": Line.APPROVED, "note": ""},
        {"amount": Decimal("24.50"), "status": Line.QUERIED, "note": ""},
    ]
    assert not Expense.objects.exclude(receipt="").exists()
    assert not Expense.objects.exclude(query_message="").exists()


# The migration ----------------------------------------------------------------------------------


def test_the_data_migration_marks_earlier_lines_approved_and_keeps_email_choices(held):
    import importlib

    from django.apps import apps

    from .factories import ConsultantProfileFactory, ExpenseFactory

    migration = importlib.import_module("survivors.migrations.0009_expenses_entered_so_far")
    held.completed_at = timezone.now() - timedelta(hours=3)
    held.save(update_fields=["completed_at"])
    earlier = ExpenseFactory(request__engagement=held, request__status=Status.COMPLETED)
    muted = ConsultantProfileFactory(email_muted_kinds=["compensation_paid"])
    emailed = ConsultantProfileFactory(email_muted_kinds=[])
    migration.existing_lines_were_entered_by_coordinators(apps, None)
    migration.keep_earlier_choice(apps, None)
    earlier.refresh_from_db()
    assert (earlier.added_by, earlier.status) == (Expense.Source.COORDINATOR, Line.APPROVED)
    assert earlier.decided_at == earlier.created_at == held.completed_at
    muted.refresh_from_db()
    emailed.refresh_from_db()
    assert muted.email_muted_kinds == ["compensation_paid", "expense_queried"]
    assert emailed.email_muted_kinds == []
