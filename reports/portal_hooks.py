"""What reports add to the portal's cross-cutting work (toolkit_portal/hooks.py): the report
files in the data inventory, and their retention."""

from django.conf import settings

from toolkit_portal import hooks
from toolkit_portal.retention import Outcome

from .inventory import INVENTORY, RETENTION
from .models import ReportFile

hooks.data_inventory.register(INVENTORY)
hooks.retention_texts.register(RETENTION)


@hooks.retention_rules.register
def purge_report_files(now):
    """Report PDFs finished more than RETENTION_REPORT_FILE_DAYS ago: the row, and with it the
    file in storage (signals.py)."""
    deleted, _ = ReportFile.objects.expired(now).delete()
    return Outcome(
        "report_files",
        f"report PDFs finished more than {settings.RETENTION_REPORT_FILE_DAYS} days ago",
        deleted=deleted,
    )
