"""A real Celery worker on the real broker builds a report's PDF for its requester."""

import time

import pytest

from reports.models import ReportFile
from reports.tasks import build_report_pdf
from tests.workers import running_worker

from .fixed_data import build, first_quarter_file


@pytest.fixture
def pdf_worker(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with running_worker(MEDIA_ROOT=str(settings.MEDIA_ROOT)) as queue:
        yield queue


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_the_pdf(pdf_worker, partnership_x, coordinator):
    build(partnership_x, coordinator)
    report_file = first_quarter_file(partnership_x, coordinator, language="es")
    build_report_pdf.apply_async(args=[str(report_file.pk)], queue=pdf_worker)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        report_file.refresh_from_db()
        if report_file.is_finished():
            break
        time.sleep(0.3)
    assert report_file.status == ReportFile.Status.READY, report_file.error
    with report_file.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
