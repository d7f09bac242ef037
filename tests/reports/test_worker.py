"""A real Celery worker on the real broker builds a report's PDF for its requester, and
builds again one whose worker was lost when the beat's sweep finds it."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from reports.models import ReportFile
from reports.tasks import build_report_pdf
from tests.toolkit_portal.test_celery_worker import BASE_DIR, url_of_test_database
from toolkit_portal.celery import app

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
        # What the worker queues itself (the sweep's builds) comes back to it alone.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
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
    finished(report_file)
    assert report_file.status == ReportFile.Status.READY, report_file.error
    with report_file.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_sweep_builds_again_a_pdf_whose_worker_was_lost(pdf_worker, partnership_x, coordinator):
    build(partnership_x, coordinator)
    # As a worker killed mid-build leaves it: claimed twenty minutes ago, never finished, and
    # no message left that would finish it.
    report_file = ReportFile.objects.create(
        requested_by=coordinator,
        partnership=partnership_x,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        period_code="2025-Q1",
        status=ReportFile.Status.BUILDING,
        progress=50,
        attempted_at=timezone.now() - timedelta(minutes=20),
    )
    # What beat sends every minute, through the broker; the sweep queues the build again.
    app.send_task("reports.tasks.rebuild_stuck_report_pdfs", queue=pdf_worker)
    finished(report_file)
    assert report_file.status == ReportFile.Status.READY, report_file.error
    assert report_file.attempts == 2
    with report_file.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def finished(report_file, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report_file.refresh_from_db()
        if report_file.is_finished():
            return
        time.sleep(0.3)
