from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Trauma-informed self-assessment")

    def ready(self):
        from . import portal_hooks  # noqa: F401 (registers what the app adds, see the module)
