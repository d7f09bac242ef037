"""Her expense pages, the coordinator's decisions on the engagement and completion pages, the
payment page, and who may open a receipt."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from survivors import services
from survivors.models import Compensation, Expense, ParticipationRequest
from tests.auth import mfa_login
from tests.trainings.factories import PDF_BYTES, pdf_upload

from .factories import CompensationFactory, ExpenseFactory, complete

Status = ParticipationRequest.Status
Line = Expense.Status
SAFE_DISPOSITION = 'attachment; filename="receipt-mileage-'


@pytest.fixture
def line(accepted):
    return ExpenseFactory(request=accepted, receipt=pdf_upload("Maria receipt.pdf"))


@pytest.fixture
def her(consultant):
    return mfa_login(Client(), consultant)


@pytest.fixture
def him(coordinator):
    return mfa_login(Client(), coordinator)


def url(name, obj):
    return reverse(f"survivors:{name}", kwargs={"pk": obj.pk})


def expense_data(**overrides):
    data = {
        "expense-kind": "mileage",
        "expense-amount": "24.50",
        "expense-note": "49 miles there and back",
    }
    data.update(overrides)
    return data


# Her pages ----------------------------------------------------------------------


def test_she_adds_an_expense_with_a_receipt_on_the_engagement_page(her, accepted):
    page = her.get(accepted.get_absolute_url())
    assert "Your expenses" in page.text and "Add this expense" in page.text
    response = her.post(
        url("my-expense-add", accepted),
        expense_data(**{"expense-receipt": pdf_upload("Maria receipt.pdf")}),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{accepted.get_absolute_url()}#expenses"
    line = Expense.objects.get()
    assert (line.kind, line.amount, line.status) == ("mileage", Decimal("24.50"), Line.SUBMITTED)
    assert line.receipt_type == "application/pdf"
    page = her.get(accepted.get_absolute_url())
    assert "Awaiting a decision" in page.text
    assert url("expense-receipt", line) in page.text
    assert url("my-expense-edit", line) in page.text and url("my-expense-remove", line) in page.text


def test_a_wrong_receipt_is_refused_with_a_clear_error(her, accepted):
    response = her.post(
        url("my-expense-add", accepted),
        expense_data(**{"expense-receipt": pdf_upload("receipt.pdf", content=b"<html>")}),
    )
    assert response.status_code == 200
    assert "A receipt must be a PDF or an image (PNG, JPEG or WebP)." in response.text
    assert not Expense.objects.exists()


def test_no_expenses_before_she_accepted(her, held, profile):
    from .factories import ParticipationRequestFactory

    pending = ParticipationRequestFactory(engagement=held, consultant=profile)
    assert "Your expenses" not in her.get(pending.get_absolute_url()).text
    response = her.post(url("my-expense-add", pending), expense_data())
    assert response.status_code == 200
    assert "You can add expenses to an engagement once you have accepted it." in response.text
    assert not Expense.objects.exists()


def test_she_changes_a_queried_line_and_it_comes_back(her, line, coordinator):
    services.query_expense(expense=line, actor=coordinator, message="Which trip was it?")
    page = her.get(line.request.get_absolute_url())
    assert "The coordinators ask:" in page.text and "Which trip was it?" in page.text
    edit = her.get(url("my-expense-edit", line))
    assert edit.status_code == 200
    assert edit.context["form"].initial["amount"] == Decimal("24.50")
    assert "Remove the receipt" in edit.text
    response = her.post(
        url("my-expense-edit", line),
        expense_data(**{"expense-amount": "20", "expense-receipt": pdf_upload("new.pdf")}),
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.amount, line.status) == (Decimal("20.00"), Line.SUBMITTED)


def test_she_removes_the_receipt_or_the_line(her, line):
    her.post(url("my-expense-edit", line), expense_data(**{"expense-remove_receipt": "on"}))
    line.refresh_from_db()
    assert not line.receipt and line.receipt_type == ""
    assert her.post(url("my-expense-remove", line)).status_code == 302
    assert not Expense.objects.exists()


def test_an_approved_line_cannot_be_changed_from_her_pages(her, line, coordinator):
    services.approve_expense(expense=line, actor=coordinator)
    page = her.get(line.request.get_absolute_url())
    assert url("my-expense-edit", line) not in page.text
    edit = her.get(url("my-expense-edit", line))
    assert "This expense can no longer be changed" in edit.text
    response = her.post(url("my-expense-edit", line), expense_data(**{"expense-amount": "99"}))
    assert "This expense is approved" in response.text
    her.post(url("my-expense-remove", line), follow=True)
    line.refresh_from_db()
    assert line.amount == Decimal("24.50")


def test_an_approved_line_reads_aprobado_in_spanish(her, line, consultant, coordinator):
    # An expense is "un gasto": its approval agrees with it, not with a partnership's.
    services.approve_expense(expense=line, actor=coordinator)
    consultant.language = "es"
    consultant.save(update_fields=["language"])
    page = her.get(line.request.get_absolute_url()).text
    assert '<span class="badge text-bg-success">Aprobado</span>' in page
    assert "Aprobada" not in page


def test_another_consultants_line_is_not_found(line, other_consultant, other_profile):
    other = mfa_login(Client(), other_consultant)
    assert other.get(url("my-expense-edit", line)).status_code == 404
    assert other.post(url("my-expense-edit", line), expense_data()).status_code == 404
    assert other.post(url("my-expense-remove", line)).status_code == 404
    assert other.post(url("my-expense-add", line.request), expense_data()).status_code == 404
    assert Expense.objects.get().amount == Decimal("24.50")


def test_get_on_post_only_addresses_is_refused(her, him, line):
    for name in ["my-expense-remove"]:
        assert her.get(url(name, line)).status_code == 405
    assert her.get(url("my-expense-add", line.request)).status_code == 405
    for name in ["expense-approve", "expense-query"]:
        assert him.get(url(name, line)).status_code == 405
    line.refresh_from_db()
    assert line.status == Line.SUBMITTED


# The coordinator's pages ----------------------------------------------------------------------


def test_the_engagement_page_shows_her_lines_and_he_queries_then_approves(him, her, line):
    page = him.get(line.request.engagement.get_absolute_url())
    assert "Awaiting a decision" in page.text and "49 miles there and back" in page.text
    assert url("expense-receipt", line) in page.text
    assert url("expense-approve", line) in page.text and url("expense-query", line) in page.text

    response = him.post(url("expense-query", line), {"message": ""}, follow=True)
    assert "Write a short question for the consultant." in response.text
    response = him.post(url("expense-query", line), {"message": "Which trip was it?"})
    assert response["Location"].endswith("#expenses")
    line.refresh_from_db()
    assert line.status == Line.QUERIED

    her.post(url("my-expense-edit", line), expense_data(**{"expense-amount": "20"}))
    page = him.get(line.request.engagement.get_absolute_url())
    assert "She changed the line since." in page.text
    him.post(url("expense-approve", line))
    line.refresh_from_db()
    assert line.status == Line.APPROVED
    page = him.get(line.request.engagement.get_absolute_url())
    assert url("expense-approve", line) not in page.text


@pytest.mark.parametrize("message", ["", "   ", "Which\x00 trip?", "x" * 501])
def test_a_question_that_is_empty_too_long_or_unsafe_changes_nothing(him, line, message):
    response = him.post(url("expense-query", line), {"message": message}, follow=True)
    assert response.status_code == 200
    assert response.context["messages"]
    line.refresh_from_db()
    assert (line.status, line.query_message) == (Line.SUBMITTED, "")


def test_another_partnerships_coordinator_cannot_decide(line, other_coordinator):
    other = mfa_login(Client(), other_coordinator)
    assert other.post(url("expense-approve", line)).status_code == 404
    assert other.post(url("expense-query", line), {"message": "Why?"}).status_code == 404
    line.refresh_from_db()
    assert line.status == Line.SUBMITTED


def test_the_engagement_page_reads_her_lines_in_one_query(him, accepted, held):
    ExpenseFactory(request=accepted)
    address = held.get_absolute_url()
    him.get(address)
    with CaptureQueriesContext(connection) as few:
        him.get(address)
    for kind in Expense.Kind.values * 5:
        ExpenseFactory(request=accepted, kind=kind, receipt=pdf_upload())
    with CaptureQueriesContext(connection) as many:
        page = him.get(address)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.text.count("Awaiting a decision") == 21


def test_completion_approves_or_queries_each_of_her_lines(him, held, accepted, line):
    other = ExpenseFactory(request=accepted, kind="meals", amount=Decimal("15"))
    address = url("engagement-complete", held)
    page = him.get(address)
    assert "Expenses she added" in page.text and url("expense-receipt", line) in page.text
    prefix = str(accepted.pk)
    data = {
        f"{prefix}-hours_worked": "2",
        f"{prefix}-preparation_hours": "0",
        f"{prefix}-travel_hours": "0",
        f"{prefix}-decision_{line.pk}": "approve",
        f"{prefix}-decision_{other.pk}": "query",
    }
    response = him.post(address, data)
    assert response.status_code == 200
    assert "Write a short question for the consultant." in response.text
    assert not Compensation.objects.exists()
    data[f"{prefix}-question_{other.pk}"] = "Was the meal on the day?"
    response = him.post(address, data)
    assert response.status_code == 302
    compensation = Compensation.objects.get()
    assert compensation.amount == Decimal("174.50")  # 2 h × 75 + the approved mileage
    other.refresh_from_db()
    assert (other.status, other.query_message) == (Line.QUERIED, "Was the meal on the day?")


def test_the_payment_waits_for_decisions_and_leaves_queried_lines_unpaid(
    him, held, accepted, line, coordinator
):
    compensation = CompensationFactory(request=accepted)
    accepted.status = Status.COMPLETED
    accepted.save()
    address = url("compensation-mark-paid", compensation)
    form = {"paid_on": timezone.localdate().isoformat(), "method": "check", "reference": "C-1"}
    page = him.get(address)
    assert "Waiting for your decision" in page.text
    response = him.post(address, form)
    assert response.status_code == 200
    assert "1 expense line is waiting for a decision" in response.text
    services.query_expense(expense=line, actor=coordinator, message="Which trip?")
    response = him.post(address, form, follow=True)
    assert "The payment is recorded" in response.text
    assert "1 queried expense line was not approved, and is not paid." in response.text
    compensation.refresh_from_db()
    assert compensation.is_paid() and compensation.amount == Decimal("150.00")


# What she sees of her payment ---------------------------------------------------------------------


def test_her_payment_lists_her_lines(her, held, accepted, line, coordinator):
    meals = ExpenseFactory(request=accepted, kind="meals", amount=Decimal("15"))
    decisions = {line.pk: {"approve": True}, meals.pk: {"approve": False, "message": "Which meal?"}}
    complete(held, coordinator, accepted, decisions=decisions)
    compensation = Compensation.objects.get()
    listed = her.get(reverse("survivors:my-compensation")).text
    assert "Mileage $24.50" in listed and "$174.50" in listed
    assert "Meals $15.00 (Queried: not included)" in listed
    detail = her.get(compensation.get_absolute_url()).text
    assert "Not included until the coordinators approve them:" in detail
    assert "$174.50" in detail


# Receipts ----------------------------------------------------------------------


def test_who_may_open_a_receipt(
    line,
    client,
    consultant,
    coordinator,
    admin_user,
    other_coordinator,
    other_consultant,
    other_profile,
    pending_coordinator,
):
    address = url("expense-receipt", line)
    for user in [consultant, coordinator, admin_user]:
        response = mfa_login(Client(), user).get(address)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith(SAFE_DISPOSITION)
        assert "Maria" not in response["Content-Disposition"]
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert "no-cache" in response["Cache-Control"]
    for user in [other_coordinator, other_consultant, pending_coordinator]:
        assert mfa_login(Client(), user).get(address).status_code == 404, user
    response = client.get(address)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_coordinator_confirms_the_second_factor_before_a_receipt(client, line, coordinator):
    client.force_login(coordinator)  # a session without the second factor
    response = client.get(url("expense-receipt", line))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]


def test_a_line_without_receipt_has_none_to_open(her, accepted):
    line = ExpenseFactory(request=accepted)
    assert her.get(url("expense-receipt", line)).status_code == 404


def test_the_admin_shows_her_lines_read_only_with_a_receipt_link(line, admin_user):
    admin = mfa_login(Client(), admin_user)
    page = admin.get(reverse("admin:survivors_participationrequest_change", args=[line.request.pk]))
    assert page.status_code == 200
    assert url("expense-receipt", line) in page.text
    assert "expenses-0-amount" not in page.text  # no input: lines change in the portal
