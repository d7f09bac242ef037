"""A PDF of a report, built in the background and kept for the person who asked for it."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toolkit_portal.storage import private_storage

STALE_MINUTES = 15


def report_path(report_file, filename):
    # A random name: the scope and period are in the row, never in the file's name on disk.
    return f"reports/{uuid.uuid4().hex}.pdf"


class ReportFileQuerySet(models.QuerySet):
    def of(self, user):
        """Only the requester's own files: nobody else, admins included, opens them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)


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

    def is_stale(self, now=None):
        """Unfinished long after it was asked for: its worker was lost (a task is never
        retried on its own). The person is told to ask again."""
        limit = timedelta(minutes=STALE_MINUTES)
        return not self.is_finished() and (now or timezone.now()) - self.created_at > limit

    def status_label(self):
        return self.Status(self.status).label

    def download_name(self):
        scope = self.partnership.slug if self.partnership_id else "state"
        period = self.period_code or f"{self.period_start:%Y-%m-%d}_{self.period_end:%Y-%m-%d}"
        return f"report-{scope}-{period}.pdf"
