"""The training catalog in a real browser: a visitor searches, filters and opens a training;
a consultant records a completion with a certificate and rates it. axe-core checks each page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in_with_password
from tests.trainings.factories import PDF_BYTES, ProviderFactory, TrainingFactory
from trainings.models import Evaluation, Training, TrainingRecord

pytestmark = pytest.mark.browser


@pytest.fixture
def catalog(transactional_db):
    Training.objects.all().delete()  # the toolkit's own trainings would match too
    provider = ProviderFactory(name="Alberta Family Wellness Initiative")
    online = TrainingFactory(
        title="Resilience Foundations",
        slug="resilience-foundations",
        provider=provider,
        delivery="online",
        format="certification",
        cost="free",
        description="How early experiences shape resilience.",
        toolkit_notes="Free course focusing on science and significance of early experiences",
        in_toolkit=True,
        key_areas=["training"],
        principles=["safety"],
    )
    TrainingFactory(
        title="Resilience in the courtroom",
        slug="resilience-courtroom",
        delivery="in_person",
        format="workshop",
        cost="paid",
        description="Resilience for criminal justice professionals.",
    )
    TrainingFactory(title="Budgeting for partnerships", slug="budgeting", delivery="online")
    return online


def test_a_visitor_searches_filters_and_opens_a_training(page, live_server, catalog, recorder):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Trainings").click()
    expect(page.get_by_role("heading", name="Training catalog", level=1)).to_be_visible()
    check_accessibility(page)

    page.get_by_label("Search trainings").fill("resilience")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/trainings/\?q=resilience"))
    expect(page.get_by_role("heading", name="2 trainings found")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("checkbox", name="Online").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"q=resilience.*delivery=online"))
    expect(page.get_by_role("heading", name="1 training found")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Delivery: Online"))).to_be_visible()
    check_accessibility(page)

    # The address can be shared: opening it again gives the same result.
    shared = page.url
    page.goto(shared)
    expect(page.get_by_role("heading", name="1 training found")).to_be_visible()

    # Removing the chip removes that filter only.
    page.get_by_role("link", name=re.compile(r"^Delivery: Online")).click()
    expect(page.get_by_role("heading", name="2 trainings found")).to_be_visible()
    page.goto(shared)

    page.get_by_role("link", name="Resilience Foundations").click()
    expect(page).to_have_url(f"{live_server.url}/trainings/resilience-foundations/")
    expect(page.get_by_role("heading", name="Resilience Foundations", level=1)).to_be_visible()
    expect(page.get_by_text("Free course focusing on science")).to_be_visible()
    check_accessibility(page)
    assert recorder.csp_violations == [] and recorder.page_errors == []


def test_a_consultant_records_a_completion_with_a_certificate_and_rates_it(
    page, live_server, catalog, consultant, recorder
):
    page.goto("/trainings/resilience-foundations/")
    check_accessibility(page)
    page.get_by_role("link", name="Sign in").last.click()
    sign_in_with_password(page, consultant.email)
    expect(page).to_have_url(f"{live_server.url}/trainings/resilience-foundations/")

    page.get_by_role("link", name="I completed this training").click()
    expect(page.get_by_role("heading", name="Record a completed training")).to_be_visible()
    check_accessibility(page)
    expect(page.get_by_label("Training")).to_have_value(str(catalog.pk))
    page.get_by_label("Completed on").fill("2026-03-14")
    page.get_by_label("Hours").fill("12.5")
    page.get_by_label("Certificate").set_input_files(
        files=[{"name": "my-certificate.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_label("Note").fill("Finished over two weekends.")
    page.get_by_role("button", name="Save the record").click()

    expect(page.get_by_role("heading", name="Rate “Resilience Foundations”")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("radio", name="5 — excellent").check()
    page.get_by_label("Comment (optional)").fill("Clear and kind.")
    page.get_by_role("button", name="Save the rating").click()

    expect(page).to_have_url(f"{live_server.url}/me/trainings/")
    expect(page.get_by_role("heading", name="Your trainings", level=1)).to_be_visible()
    expect(page.get_by_role("row", name="2026 12.5", exact=True)).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download")).click()
    assert download.value.suggested_filename == (
        "certificate-resilience-foundations-2026-03-14.pdf"
    )
    assert open(download.value.path(), "rb").read() == PDF_BYTES

    record = TrainingRecord.objects.get(person=consultant)
    assert record.certificate_type == "application/pdf"
    assert Evaluation.objects.get(record=record).rating == 5

    page.goto("/trainings/resilience-foundations/")
    rated = "Rated 5.0 out of 5. Average of 1 person's latest rating."
    expect(page.get_by_text(rated)).to_be_visible()
    expect(page.get_by_text("Clear and kind.")).to_be_visible()
    # Comments are shown without names.
    expect(page.get_by_text(consultant.email)).to_have_count(0)
    assert recorder.csp_violations == [] and recorder.page_errors == []
