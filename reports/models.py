"""A PDF of a report, built in the background and kept for the person who asked for it."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toolkit_portal.storage import private_storage


def report_path(report_file, filename):
    # A random name: the scope and period are in the row, never in the file's name on disk.
    return f"reports/{uuid.uuid4().hex}.pdf"


class ReportFileQuerySet(models.QuerySet):
    def of(self, user):
        """Only the requester's own files: nobody else, admins included, opens them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)

    def stuck(self, now):
        """Waiting or being built for longer than a build can take: the worker that had it
        was lost (a build that runs past Celery's time limit is killed, so none is still
        running), or the message that asked for it was."""
        limit = now - timedelta(minutes=settings.REPORT_PDF_STUCK_MINUTES)
        return self.filter(
            status__in=[ReportFile.Status.QUEUED, ReportFile.Status.BUILDING],
            attempted_at__lt=limit,
        )

    def expired(self, now):
        """Files finished more than RETENTION_REPORT_FILE_DAYS ago, and requests that old
        that never finished. A report can always be asked for again."""
        limit = now - timedelta(days=settings.RETENTION_REPORT_FILE_DAYS)
        return self.filter(
            models.Q(finished_at__lt=limit) | models.Q(finished_at=None, created_at__lt=limit)
        )


class ReportFile(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be built")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="report_files",
    )
    # Empty for the statewide report.
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    period_code = models.CharField(_("period"), max_length=10, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to=report_path, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    # A build lost with its worker is queued again (services.rebuild_stuck_pdfs), a bounded
    # number of times; each try is counted and dated here.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    attempted_at = models.DateTimeField(_("last queued or started"), default=timezone.now)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ReportFileQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")

    def __str__(self):
        return f"report {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d} ({self.status})"

    def is_ready(self):
        return self.status == self.Status.READY and bool(self.file)

    def is_finished(self):
        return self.status in (self.Status.READY, self.Status.FAILED)

    def expires_at(self):
        """When retention deletes the file (`ReportFileQuerySet.expired`)."""
        start = self.finished_at or self.created_at
        return start + timedelta(days=settings.RETENTION_REPORT_FILE_DAYS)

    def is_retried(self):
        """Being built again after an earlier try was lost with its worker."""
        return not self.is_finished() and self.attempts > 1

    def status_label(self):
        return self.Status(self.status).label

    def download_name(self):
        scope = self.partnership.slug if self.partnership_id else "state"
        period = self.period_code or f"{self.period_start:%Y-%m-%d}_{self.period_end:%Y-%m-%d}"
        return f"report-{scope}-{period}.pdf"
