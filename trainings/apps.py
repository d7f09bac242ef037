from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Training catalog")

    def ready(self):
        from . import portal_hooks  # noqa: F401 (registers what the app adds, see the module)
