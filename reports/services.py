"""Building a report's PDF in the background, for the person who asked for it."""

import logging

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
    (the claim is a conditional update) and does nothing."""
    from . import figures, pdf

    claimed = ReportFile.objects.filter(pk=report_file_id, status=ReportFile.Status.QUEUED).update(
        status=ReportFile.Status.BUILDING, progress=10
    )
    if not claimed:
        return None
    report_file = ReportFile.objects.select_related("partnership", "requested_by").get(
        pk=report_file_id
    )
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
        report_file.status = ReportFile.Status.READY
        report_file.progress = 100
    except Exception as error:  # the page must say it failed rather than wait forever
        log.exception("report PDF %s failed", report_file_id)
        report_file.status = ReportFile.Status.FAILED
        report_file.error = type(error).__name__
    report_file.finished_at = timezone.now()
    report_file.save(update_fields=["file", "status", "progress", "error", "finished_at"])
    return report_file


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
