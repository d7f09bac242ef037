"""Material changes ask again, in a real browser: the coordinator lowers the pay of an engagement a
consultant accepted (laptop); the consultant, on a phone, sees what she agreed to beside the
new terms and confirms them."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from survivors import services
from survivors.models import ParticipationRequest
from tests.browser.conftest import (
    LAPTOP,
    PHONE,
    STEP_TIMEOUT_MS,
    assert_no_script_blocked,
    check_accessibility,
    enter_totp_code,
    label,
    sign_in_with_password,
)
from tests.survivors.factories import ConsultantProfileFactory, EngagementFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def accepted(coordinator, consultant, partnership_x):
    profile = ConsultantProfileFactory(user=consultant, display_name="Maya R.")
    engagement = EngagementFactory(
        partnership=partnership_x,
        created_by=coordinator,
        title="Shelter intake review",
        compensation_amount=Decimal("75.00"),
    )
    request = services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )[0]
    return services.accept_request(
        request=request, actor=consultant, consent={"consent_name_to_use": "Maya"}
    )


def test_lowered_pay_is_confirmed_by_the_consultant_on_a_phone(
    page, browser, live_server, recorder, coordinator, consultant, accepted
):
    engagement = accepted.engagement

    # The coordinator, on a laptop, lowers the pay.
    page.set_viewport_size(LAPTOP)
    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    page.goto(engagement.get_absolute_url())
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", name="Edit engagement")).to_be_visible()
    check_accessibility(page)
    page.get_by_label(label("Compensation offered per consultant (USD)")).fill("50.00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Its terms changed")).to_be_visible()
    expect(
        page.get_by_text("Terms changed — awaiting the consultant's confirmation")
    ).to_be_visible()
    check_accessibility(page)
    assert ParticipationRequest.objects.get(pk=accepted.pk).status == "changed"

    # The consultant, on a phone, sees old and new side by side and confirms.
    phone_context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    phone_context.set_default_timeout(STEP_TIMEOUT_MS)
    phone = phone_context.new_page()
    phone.goto("/accounts/login/")
    sign_in_with_password(phone, consultant.email)
    phone.goto("/me/requests/")
    changed = phone.get_by_role("region", name="Terms changed: confirm or leave")
    expect(changed).to_be_visible()
    table = changed.get_by_role("table")
    expect(table.get_by_role("columnheader", name="What you agreed to")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Now")).to_be_visible()
    row = table.get_by_role("row", name=re.compile("Pay offered"))
    expect(row).to_contain_text("$75.00 an hour")
    expect(row).to_contain_text("$50.00 an hour")
    # Side by side: the old and new terms sit on one line, the new to the right.
    old_box = row.get_by_role("cell").nth(0).bounding_box()
    new_box = row.get_by_role("cell").nth(1).bounding_box()
    assert abs(old_box["y"] - new_box["y"]) < 2 and new_box["x"] > old_box["x"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_accessibility(phone)

    changed.get_by_role("link", name="Confirm or leave").click()
    expect(
        phone.get_by_role("heading", name="The terms changed after you accepted")
    ).to_be_visible()
    check_accessibility(phone)
    phone.get_by_label(label("Name to use")).fill("M.")
    phone.get_by_role("button", name="Confirm the new terms").click()
    expect(phone.get_by_text("You confirmed the new terms.")).to_be_visible()
    check_accessibility(phone)
    request = ParticipationRequest.objects.get(pk=accepted.pk)
    assert request.status == "accepted" and request.consent_name_to_use == "M."
    assert request.agreed_terms["compensation_amount"] == "50.00"
    phone_context.close()
    assert_no_script_blocked(recorder)
