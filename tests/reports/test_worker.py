"""A real Celery worker on the real broker builds a report's PDF for its requester."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date

import pytest

from reports.models import ReportFile
from reports.tasks import build_report_pdf
from tests.toolkit_portal.test_celery_worker import BASE_DIR, url_of_test_database

from .fixed_data import build


@pytest.fixture
def pdf_worker(tmp_path, settings):
    queue = f"test-{uuid.uuid4().hex}"
    settings.MEDIA_ROOT = tmp_path / "media"
    environment = {
        **os.environ,
        "DATABASE_URL": url_of_test_database(),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "toolkit_portal", "worker",
            "--queues", queue, "--pool", "solo", "--loglevel", "INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    yield queue
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_the_pdf(pdf_worker, partnership_x, coordinator):
    build(partnership_x, coordinator)
    report_file = ReportFile.objects.create(
        requested_by=coordinator,
        partnership=partnership_x,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        period_code="2025-Q1",
        language="es",
    )
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
