from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from . import portal_hooks  # noqa: F401 (registers what the app adds, see the module)
