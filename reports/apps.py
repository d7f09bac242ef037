from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports for funders and boards: a layer above survivors, partnerships and trainings.

    It only reads their data (through `reports.sources`), and no lower app imports it.
    """

    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            portal_hooks,  # noqa: F401 (registers what the app adds, see the module)
            signals,  # noqa: F401 — deletes a report's file with its row
        )
