"""Expenses from the consultant, in a real browser: on a 390 px phone she adds a mileage
expense with a PDF receipt; on a 1280 px laptop the coordinator queries it; she changes it;
he approves it at completion and records the payment; she sees it in what she was paid.
Everyone clicks by the labels they read; every page is checked with axe-core."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from survivors.models import Compensation, Expense, ParticipationRequest
from tests.browser.conftest import (
    LAPTOP,
    PHONE,
    assert_no_script_blocked,
    check_accessibility,
    enter_totp_code,
    label,
    sign_in_with_password,
)
from tests.survivors.factories import (
    ConsultantProfileFactory,
    ParticipationRequestFactory,
)
from tests.trainings.factories import PDF_BYTES

pytestmark = pytest.mark.browser


def receipt(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def test_a_mileage_expense_from_her_phone_is_queried_changed_approved_and_paid(
    page, live_server, recorder, coordinator, held
):
    engagement, started = held, held.starts_at
    profile = ConsultantProfileFactory(display_name="River")
    request = ParticipationRequestFactory(
        engagement=engagement,
        consultant=profile,
        status=ParticipationRequest.Status.ACCEPTED,
        consent_given_at=started - timedelta(days=3),
        consent_name_to_use="River",
    )

    # She adds her mileage on her phone, with the receipt.
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    sign_in_with_password(page, profile.user.email)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    page.get_by_role("link", name="Shelter intake review").first.click()
    expect(page.get_by_role("heading", name="Your expenses")).to_be_visible()
    check_accessibility(page)
    page.get_by_label(label("Expense")).select_option(label="Mileage")
    page.get_by_label(label("Amount (USD)")).fill("24.50")
    page.get_by_label(label("Note")).fill("49 miles there and back")
    page.get_by_label(label("Receipt (optional)")).set_input_files(receipt("odometer.pdf"))
    page.get_by_role("button", name="Add this expense").click()
    expect(page.get_by_text("Your expense is added.")).to_be_visible()
    expect(page.get_by_text("Awaiting a decision")).to_be_visible()
    check_accessibility(page)
    line = Expense.objects.get()
    assert (line.kind, line.amount, line.receipt_type) == (
        "mileage",
        Decimal("24.50"),
        "application/pdf",
    )

    # The coordinator, on a laptop, opens the receipt and asks about the line.
    laptop = page.context.browser.new_context(base_url=live_server.url, viewport=LAPTOP)
    office = laptop.new_page()
    office.goto("/accounts/login/")
    sign_in_with_password(office, coordinator.email)
    enter_totp_code(office)
    office.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    office.get_by_role("link", name="Shelter intake review").click()
    expenses = office.locator("#expenses")
    expect(expenses.get_by_text("49 miles there and back")).to_be_visible()
    check_accessibility(office)
    with office.expect_download() as download:
        expenses.get_by_role("link", name="Receipt").click()
    assert download.value.suggested_filename.startswith("receipt-mileage-")
    expenses.get_by_label("Question for the consultant").fill("Is this the round trip?")
    expenses.get_by_role("button", name="Query").click()
    expect(office.get_by_text("Your question is sent to the consultant.")).to_be_visible()
    check_accessibility(office)

    # She reads the question on her phone and changes the line, with a new receipt.
    page.reload()
    expect(page.get_by_text("Is this the round trip?")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Change").click()
    expect(page.get_by_role("heading", name="Change an expense")).to_be_visible()
    check_accessibility(page)
    page.get_by_label(label("Amount (USD)")).fill("30.00")
    page.get_by_label(label("Note")).fill("60 miles: round trip with the detour")
    page.get_by_label(label("A new receipt (optional)")).set_input_files(receipt("map.pdf"))
    page.get_by_role("button", name="Save the expense").click()
    expect(page.get_by_text("Your expense is changed.")).to_be_visible()
    check_accessibility(page)

    # He approves it as he marks the engagement completed, then records the payment.
    office.reload()
    expect(office.locator("#expenses").get_by_text("She changed the line since.")).to_be_visible()
    office.get_by_role("link", name="Mark completed").click()
    expect(office.get_by_role("heading", name="Expenses she added")).to_be_visible()
    check_accessibility(office)
    office.get_by_label(re.compile(r"^\s*Hours worked")).fill("2")
    office.get_by_label("Approve", exact=True).check()
    office.get_by_role("button", name="Mark completed").click()
    expect(office.get_by_text("The engagement is completed")).to_be_visible()
    compensation = Compensation.objects.get(request=request)
    assert compensation.amount == Decimal("180.00")  # 2 h × $75 + $30 of mileage
    office.get_by_role("navigation", name="Main").get_by_role("link", name="Compensation").click()
    office.get_by_role("row", name=re.compile("Shelter intake review")).get_by_role(
        "link", name="Mark paid"
    ).click()
    expect(office.get_by_text("Included in this payment.")).to_be_visible()
    check_accessibility(office)
    office.get_by_role("button", name="Record payment").click()
    expect(office.get_by_text("The payment is recorded")).to_be_visible()
    assert_no_script_blocked(recorder)
    laptop.close()

    # She sees the mileage in what she was paid.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compensation").click()
    row = page.get_by_role("row", name=re.compile("Shelter intake review"))
    expect(row).to_contain_text("Paid")
    expect(row).to_contain_text("$180.00")
    expect(row).to_contain_text("Mileage $30.00")
    check_accessibility(page)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, "the compensation page scrolls sideways on a phone"
    line.refresh_from_db()
    assert (line.status, line.amount) == (Expense.Status.APPROVED, Decimal("30.00"))
    assert_no_script_blocked(recorder)
