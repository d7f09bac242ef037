"""Objects for the access matrix's report addresses (tests/test_access_matrix.py): a built
PDF of partnership X's report for its coordinator, and one of the state's for the admin."""

from django.core.files.base import ContentFile

from partnerships.models import Partnership
from reports.models import ReportFile
from tests.personas import EMAILS
from toolkit_portal.models import User

COORDINATOR_X = EMAILS["coordinator"]
ADMIN = EMAILS["admin"]


def _ready_file(user, partnership):
    report_file = ReportFile(
        requested_by=user,
        partnership=partnership,
        period_start="2025-01-01",
        period_end="2025-12-31",
        period_code="2025",
        status=ReportFile.Status.READY,
        progress=100,
    )
    report_file.file.save("report.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    report_file.save()
    return report_file


def pdf_of_coordinator_x(_objects):
    report_file = _ready_file(
        User.objects.get(email=COORDINATOR_X), Partnership.objects.get(slug="partnership-x")
    )
    return {"slug": "partnership-x", "pk": report_file.pk}


def pdf_of_admin(_objects):
    return {"pk": _ready_file(User.objects.get(email=ADMIN), None).pk}
