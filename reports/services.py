"""Building a report's PDF in the background, for the person who asked for it."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from toolkit_portal.audit import record_audit

from . import sources as s
from .models import ReportFile
from .periods import Period

log = logging.getLogger(__name__)


def may_report_on(user, partnership):
    """Coordinators report on their partnerships; only admins on the whole state."""
    if partnership is None:
        return user.is_authenticated and user.is_portal_admin
    return partnership.is_coordinated_by(user)


@transaction.atomic
def request_report_pdf(*, actor, partnership, period, language):
    if not may_report_on(actor, partnership):
        raise PermissionDenied
    report_file = ReportFile.objects.create(
        requested_by=actor,
        partnership=partnership,
        period_start=period.start,
        period_end=period.end,
        period_code=period.code,
        language=language or "en",
    )
    record_audit(actor, "reports.pdf.requested", report_file)
    from .tasks import build_report_pdf

    transaction.on_commit(lambda: build_report_pdf.delay(str(report_file.pk)))
    return report_file


def _progress(report_file_id, percent):
    ReportFile.objects.filter(pk=report_file_id).update(progress=percent)


def build_pdf(report_file_id):
    """Build the PDF of a queued request. A second delivery of the same task finds it taken
    (the claim is a conditional update) and does nothing; a build whose request was queued
    again meanwhile (its worker taken for lost) keeps nothing of its own."""
    from . import figures, pdf

    queued = ReportFile.objects.filter(pk=report_file_id, status=ReportFile.Status.QUEUED)
    report_file = queued.select_related("partnership", "requested_by").first()
    if report_file is None:
        return None
    # The try is claimed by its number: it is this build's to finish, and no other's.
    claimed = queued.filter(attempts=report_file.attempts).update(
        status=ReportFile.Status.BUILDING, progress=10, attempted_at=timezone.now()
    )
    if not claimed:
        return None
    outcome = {"file": "", "status": ReportFile.Status.READY, "progress": 100, "error": ""}
    try:
        # The requester may have lost the right since asking: check again.
        if not may_report_on(report_file.requested_by, report_file.partnership):
            raise PermissionDenied
        period = Period(
            report_file.period_start,
            report_file.period_end,
            _kind(report_file.period_code),
            report_file.period_code,
        )
        with translation.override(report_file.language):
            report = figures.build_report(report_file.partnership, period, state_name=state_name())
            _progress(report_file.pk, 50)
            content = pdf.render(report)
        report_file.file.save(report_file.download_name(), ContentFile(content), save=False)
        outcome["file"] = report_file.file.name
    except Exception as error:  # the page must say it failed rather than wait forever
        log.exception("report PDF %s failed", report_file_id)
        outcome.update(status=ReportFile.Status.FAILED, progress=0, error=type(error).__name__)
    finished = ReportFile.objects.filter(
        pk=report_file.pk, status=ReportFile.Status.BUILDING, attempts=report_file.attempts
    ).update(finished_at=timezone.now(), **outcome)
    if not finished:
        # Queued again while this build ran: the newer try writes the result.
        if outcome["file"]:
            report_file.file.storage.delete(outcome["file"])
        return None
    report_file.refresh_from_db()
    return report_file


@transaction.atomic
def rebuild_stuck_pdfs(*, now=None):
    """Beat calls this every minute: queue again each report PDF whose build was lost with
    its worker (`ReportFile.objects.stuck`), up to REPORT_PDF_MAX_ATTEMPTS tries in all; a
    request out of tries is marked failed, and its page says so.

    A rare duplicate is harmless (the build claims its row first, and a build overtaken by a
    newer try keeps nothing); a loss would leave a person waiting, so a request is sent again
    rather than trusted to a message that may be gone. Returns (queued again, failed)."""
    from .tasks import build_report_pdf

    now = now or timezone.now()
    again, failed = [], 0
    for report_file in ReportFile.objects.stuck(now).select_for_update(skip_locked=True):
        if report_file.attempts >= settings.REPORT_PDF_MAX_ATTEMPTS:
            report_file.status = ReportFile.Status.FAILED
            report_file.error = "WorkerLost"
            report_file.finished_at = now
            report_file.save(update_fields=["status", "error", "finished_at"])
            record_audit(None, "reports.pdf.failed", report_file)
            failed += 1
            continue
        report_file.status = ReportFile.Status.QUEUED
        report_file.progress = 0
        report_file.attempts += 1
        report_file.attempted_at = now
        report_file.save(update_fields=["status", "progress", "attempts", "attempted_at"])
        record_audit(None, "reports.pdf.requeued", report_file)
        again.append(str(report_file.pk))
    transaction.on_commit(lambda: [build_report_pdf.delay(pk) for pk in again])
    return len(again), failed


def _kind(code):
    if not code:
        return "custom"
    if "-Q" in code:
        return "quarter"
    if "-H" in code:
        return "half"
    return "year"


def state_name():
    """The state every partnership belongs to (the portal serves one state)."""
    state = s.Partnership.objects.values_list("state", flat=True).order_by("state").first()
    return state or "Colorado"
