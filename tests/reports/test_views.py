"""The report pages and downloads: what they show, to whom, and at what cost in queries."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from reports.models import ReportFile
from survivors.models import ParticipationRequest
from tests.auth import mfa_login
from tests.survivors.factories import ConsultantProfileFactory, EngagementFactory

from .fixed_data import NAMES, build, moment

URL = "/partnerships/partnership-x/reports/"
STATE_URL = "/reports/state/"
Q1 = "?period=2025-Q1"


@pytest.fixture
def signed_in(client, coordinator):
    return mfa_login(client, coordinator)


@pytest.fixture
def data(partnership_x, coordinator):
    return build(partnership_x, coordinator)


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_page_shows_the_period_and_the_protected_figures(signed_in, data):
    response = signed_in.get(URL + Q1)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quarter 1 of 2025" in html and "Quarter 4 of 2024" in html
    assert "fewer than 3" in html and "withheld" in html
    assert 'id="table-engagements_by_kind"' in html
    assert "<title" in html and 'role="img"' in html  # the charts, with their text
    assert "js/reports.js" in html and "data-print" in html


def test_a_period_the_page_cannot_read_is_said_so(signed_in, data):
    response = signed_in.get(URL + "?period=2025-Q7")
    assert response.status_code == 400
    assert "Write the period as 2026, 2026-H1 or 2026-Q3." in response.content.decode()
    response = signed_in.get(URL + "?start=2025-03-01&end=2025-01-01")
    assert response.status_code == 400


def test_the_csv_has_every_table_and_hides_what_the_page_hides(signed_in, data):
    response = signed_in.get(URL + "report.csv" + Q1)
    assert (
        response["Content-Disposition"] == 'attachment; filename="report-partnership-x-2025-Q1.csv"'
    )
    text = response.content.decode()
    for title in ["Survivor engagements by kind", "Payments by method", "Training by key area"]:
        assert title in text
    assert "Survivor engagements by kind,Consultation,,fewer than 3,4,withheld" in text
    one = signed_in.get(URL + "report.csv" + Q1 + "&table=recommendations").content.decode()
    assert "Recommendations received" in one and "Payments by method" not in one
    assert signed_in.get(URL + "report.csv" + Q1 + "&table=nope").status_code == 404


def test_the_charts_download_as_svg_with_a_title(signed_in, data):
    for chart in ["engagements", "key-areas"]:
        response = signed_in.get(f"{URL}charts/{chart}.svg{Q1}")
        assert response["Content-Type"].startswith("image/svg+xml")
        assert response["Content-Disposition"].startswith("attachment;")
        svg = response.content.decode()
        assert svg.startswith("<?xml") and "<title" in svg and "<desc" in svg
    assert signed_in.get(f"{URL}charts/pie.svg").status_code == 404


def test_the_pdf_is_built_by_the_task_and_kept_for_its_requester(
    signed_in, data, client, other_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(URL + "pdf/", {"period": "2025-Q1"})
    report_file = ReportFile.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"pdf/{report_file.pk}/")
    assert report_file.status == ReportFile.Status.READY and report_file.progress == 100
    assert report_file.file.name.startswith("reports/")
    status_page = signed_in.get(response["Location"]).content.decode()
    assert "The PDF is ready." in status_page
    download = signed_in.get(response["Location"] + "download/")
    content = b"".join(download.streaming_content)
    assert (
        download["Content-Disposition"] == 'attachment; filename="report-partnership-x-2025-Q1.pdf"'
    )
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    text = pdf_text(content)
    assert "Survivor engagements by kind" in text and "fewer than 3" in text
    fonts = reader.pages[0]["/Resources"]["/Font"].values()
    # Every font is the shipped DejaVu Sans ("Report Sans" in reports/pdf.py), embedded.
    assert all("Report-Sans" in font.get_object()["/BaseFont"] for font in fonts)


def test_a_pdf_being_built_shows_its_progress_and_refreshes(signed_in, data, coordinator):
    from partnerships.models import Partnership

    report_file = ReportFile.objects.create(
        requested_by=coordinator,
        partnership=Partnership.objects.get(slug="partnership-x"),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        period_code="2025-Q1",
        status=ReportFile.Status.BUILDING,
        progress=50,
    )
    page = signed_in.get(f"{URL}pdf/{report_file.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and 'value="50"' in page
    assert signed_in.get(f"{URL}pdf/{report_file.pk}/download/").status_code == 404
    # One that could not be built stops the waiting (a lost worker's: tests/reports/
    # test_rebuild.py).
    ReportFile.objects.filter(pk=report_file.pk).update(status=ReportFile.Status.FAILED)
    page = signed_in.get(f"{URL}pdf/{report_file.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "could not be built" in page


def test_the_task_builds_nothing_twice(data, coordinator, partnership_x):
    from reports.services import build_pdf

    report_file = ReportFile.objects.create(
        requested_by=coordinator,
        partnership=partnership_x,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        period_code="2025-Q1",
    )
    assert build_pdf(str(report_file.pk)).status == ReportFile.Status.READY
    assert build_pdf(str(report_file.pk)) is None


def test_no_survivor_name_appears_in_any_format(
    signed_in, data, client, admin_user, django_capture_on_commit_callbacks
):
    outputs = [
        signed_in.get(URL + Q1).content.decode(),
        signed_in.get(URL + "report.csv" + Q1).content.decode(),
        signed_in.get(f"{URL}charts/engagements.svg{Q1}").content.decode(),
        signed_in.get(f"{URL}charts/key-areas.svg{Q1}").content.decode(),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(URL + "pdf/", {"period": "2025-Q1"})
    download = signed_in.get(response["Location"] + "download/")
    outputs.append(pdf_text(b"".join(download.streaming_content)))
    admin = mfa_login(type(client)(), admin_user)
    outputs.append(admin.get(STATE_URL + Q1).content.decode())
    outputs.append(admin.get(STATE_URL + "report.csv" + Q1).content.decode())
    for output in outputs:
        assert "Survivor engagements" in output or "<svg" in output
        for display, legal in NAMES.values():
            for name in (display, legal, *display.split(), *legal.split()):
                assert name not in output, name


def test_the_state_report_is_the_admins(client, admin_user, data):
    admin = mfa_login(client, admin_user)
    html = admin.get(STATE_URL + Q1).content.decode()
    assert "Report for funders and board: Colorado" in html


def _more_rows(partnership, coordinator, count):
    for n in range(count):
        engagement = EngagementFactory(
            partnership=partnership,
            created_by=coordinator,
            starts_at=moment(date(2025, 2, 1) + timedelta(days=n % 40)),
            ends_at=moment(date(2025, 2, 1) + timedelta(days=n % 40), 12),
            response_deadline=moment(date(2025, 1, 20)),
        )
        ParticipationRequest.objects.create(
            engagement=engagement,
            consultant=ConsultantProfileFactory(),
            status="accepted",
            sent_at=moment(date(2025, 1, 15)),
        )


def test_the_page_runs_a_fixed_number_of_queries(
    signed_in, data, partnership_x, coordinator, django_assert_num_queries
):
    counts = {}
    signed_in.get(URL + Q1)
    for address in (URL + Q1, URL + "report.csv" + Q1):
        with CaptureQueriesContext(connection) as few:
            assert signed_in.get(address).status_code == 200
        counts[address] = len(few.captured_queries)
    _more_rows(partnership_x, coordinator, 60)
    for address, count in counts.items():
        with django_assert_num_queries(count):
            assert signed_in.get(address).status_code == 200
    # The session and the account, then two periods of aggregates and the charts'.
    assert counts[URL + Q1] <= 32
