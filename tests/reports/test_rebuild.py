"""A report PDF whose worker was lost is built again by the beat's sweep, a bounded number of
times, and its page says what is happening (eager tasks; tests/reports/test_worker.py runs
the same through a real worker)."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from reports import pdf, services
from reports.models import ReportFile
from reports.tasks import rebuild_stuck_report_pdfs
from toolkit_portal.audit import AuditEntry
from toolkit_portal.celery import app

from .fixed_data import build

pytestmark = pytest.mark.django_db
URL = "/partnerships/partnership-x/reports/"


def stuck_file(coordinator, partnership, *, minutes_ago=20, **fields):
    """A request as a lost worker leaves it: claimed (or queued) long ago, never finished."""
    fields = {"status": ReportFile.Status.BUILDING, "progress": 50, **fields}
    return ReportFile.objects.create(
        requested_by=coordinator,
        partnership=partnership,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        period_code="2025-Q1",
        attempted_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def test_a_build_lost_with_its_worker_is_built_again(
    partnership_x, coordinator, django_capture_on_commit_callbacks
):
    build(partnership_x, coordinator)
    report_file = stuck_file(coordinator, partnership_x)
    with django_capture_on_commit_callbacks(execute=True):
        result = rebuild_stuck_report_pdfs.delay().get()  # the beat's task, run eagerly
    assert result == {"queued_again": 1, "failed": 0}
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.READY and report_file.attempts == 2
    with report_file.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert AuditEntry.objects.filter(
        action="reports.pdf.requeued", object_id=str(report_file.pk)
    ).exists()


def test_a_request_never_picked_up_is_sent_again(
    partnership_x, coordinator, django_capture_on_commit_callbacks
):
    report_file = stuck_file(coordinator, partnership_x, status=ReportFile.Status.QUEUED)
    with mock.patch("reports.tasks.build_report_pdf.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            assert services.rebuild_stuck_pdfs() == (1, 0)
    delay.assert_called_once_with(str(report_file.pk))
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.QUEUED and report_file.attempts == 2


def test_a_build_within_the_time_limit_is_left_alone(partnership_x, coordinator, settings):
    settings.REPORT_PDF_STUCK_MINUTES = 10
    running = stuck_file(coordinator, partnership_x, minutes_ago=9)
    waiting = stuck_file(coordinator, partnership_x, minutes_ago=1, status=ReportFile.Status.QUEUED)
    done = stuck_file(coordinator, partnership_x, status=ReportFile.Status.READY)
    with mock.patch("reports.tasks.build_report_pdf.delay") as delay:
        assert services.rebuild_stuck_pdfs() == (0, 0)
    delay.assert_not_called()
    for report_file in (running, waiting, done):
        before = report_file.status
        report_file.refresh_from_db()
        assert report_file.status == before and report_file.attempts == 1


def test_after_the_last_try_the_request_fails_and_its_page_says_so(
    client, partnership_x, coordinator, settings, django_capture_on_commit_callbacks
):
    from tests.auth import mfa_login

    settings.REPORT_PDF_MAX_ATTEMPTS = 3
    report_file = stuck_file(coordinator, partnership_x, attempts=3)
    with mock.patch("reports.tasks.build_report_pdf.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            assert services.rebuild_stuck_pdfs() == (0, 1)
    delay.assert_not_called()
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.FAILED and report_file.error == "WorkerLost"
    assert report_file.finished_at is not None
    signed_in = mfa_login(client, coordinator)
    page = signed_in.get(f"{URL}pdf/{report_file.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "could not be built" in page


def test_the_page_of_a_request_built_again_keeps_waiting_and_says_why(
    client, partnership_x, coordinator
):
    from tests.auth import mfa_login

    report_file = stuck_file(
        coordinator, partnership_x, minutes_ago=0, status=ReportFile.Status.QUEUED, attempts=2
    )
    page = mfa_login(client, coordinator).get(f"{URL}pdf/{report_file.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page
    assert "An earlier try was interrupted" in page


def test_a_build_overtaken_by_a_newer_try_keeps_nothing(partnership_x, coordinator, settings):
    """Were a build still running when the sweep queued its request again, its result would
    lose to the newer try's: its file is deleted, the row left to the newer try."""
    build(partnership_x, coordinator)
    report_file = stuck_file(coordinator, partnership_x, status=ReportFile.Status.QUEUED)
    real_render = pdf.render

    def render_while_the_sweep_runs(report):
        ReportFile.objects.filter(pk=report_file.pk).update(
            status=ReportFile.Status.QUEUED, attempts=2
        )
        return real_render(report)

    with mock.patch("reports.pdf.render", render_while_the_sweep_runs):
        assert services.build_pdf(str(report_file.pk)) is None
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.QUEUED and not report_file.file
    stored = settings.MEDIA_ROOT / "private" / "reports"
    assert not stored.exists() or list(stored.iterdir()) == []


def test_the_sweep_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["rebuild-stuck-report-pdfs"]
    assert entry["task"] == "reports.tasks.rebuild_stuck_report_pdfs"
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 60
