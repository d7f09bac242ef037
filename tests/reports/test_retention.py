"""Report PDFs are kept for their requester for RETENTION_REPORT_FILE_DAYS once finished;
retention (toolkit_portal/retention.py, through the app's registered rule) then deletes the
row and the file in storage."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.formats import date_format

from reports.models import ReportFile
from reports.portal_hooks import purge_report_files
from toolkit_portal import hooks, retention, tasks
from toolkit_portal.data_inventory import RETENTION

pytestmark = pytest.mark.django_db


def report_file(coordinator, partnership, *, age_days, status=ReportFile.Status.READY):
    finished = status in (ReportFile.Status.READY, ReportFile.Status.FAILED)
    row = ReportFile.objects.create(
        requested_by=coordinator,
        partnership=partnership,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        period_code="2025-Q1",
        status=status,
    )
    when = timezone.now() - timedelta(days=age_days)
    if status == ReportFile.Status.READY:
        row.file.save("report.pdf", ContentFile(b"%PDF-1.7 made up"), save=False)
    ReportFile.objects.filter(pk=row.pk).update(
        file=row.file.name, created_at=when, finished_at=when if finished else None
    )
    row.refresh_from_db()
    return row


@pytest.fixture
def files(coordinator, partnership_x, settings):
    settings.RETENTION_REPORT_FILE_DAYS = 30
    return {
        "old": report_file(coordinator, partnership_x, age_days=31),
        "old_failed": report_file(
            coordinator, partnership_x, age_days=40, status=ReportFile.Status.FAILED
        ),
        "never_finished": report_file(
            coordinator, partnership_x, age_days=45, status=ReportFile.Status.BUILDING
        ),
        "recent": report_file(coordinator, partnership_x, age_days=29),
        "recent_building": report_file(
            coordinator, partnership_x, age_days=0, status=ReportFile.Status.BUILDING
        ),
    }


def test_old_files_go_with_their_file_in_storage_and_recent_ones_stay(
    files, django_capture_on_commit_callbacks
):
    storage = files["old"].file.storage
    old_name, recent_name = files["old"].file.name, files["recent"].file.name
    assert storage.exists(old_name) and storage.exists(recent_name)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.purge_expired.delay().get()  # the beat's daily task, run eagerly
    assert result["report_files"] == {"deleted": 3, "anonymised": 0}
    left = set(ReportFile.objects.values_list("pk", flat=True))
    assert left == {files["recent"].pk, files["recent_building"].pk}
    assert not storage.exists(old_name)
    assert storage.exists(recent_name)


def test_a_dry_run_keeps_the_rows_and_the_files(files, django_capture_on_commit_callbacks):
    storage = files["old"].file.storage
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = retention.purge_expired(dry_run=True)
    [outcome] = [o for o in outcomes if o.rule == "report_files"]
    assert outcome.deleted == 3
    assert outcome.description == "report PDFs finished more than 30 days ago"
    assert ReportFile.objects.count() == 5
    assert storage.exists(files["old"].file.name)


def test_the_rule_is_registered_and_the_inventory_says_how_long():
    assert purge_report_files in list(hooks.retention_rules)
    assert "RETENTION_REPORT_FILE_DAYS" in RETENTION["report_file"]


def test_the_page_says_when_the_file_is_deleted(client, coordinator, partnership_x, settings):
    from tests.auth import mfa_login

    settings.RETENTION_REPORT_FILE_DAYS = 30
    row = report_file(coordinator, partnership_x, age_days=2)
    page = (
        mfa_login(client, coordinator)
        .get(f"/partnerships/partnership-x/reports/pdf/{row.pk}/")
        .content.decode()
    )
    deleted_on = date_format(timezone.localtime(row.finished_at + timedelta(days=30)))
    assert f"It is deleted on {deleted_on}; after that, ask for the report again." in page
