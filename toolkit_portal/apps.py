from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitPortalConfig(AppConfig):
    name = "toolkit_portal"
    verbose_name = _("Accounts and portal")

    def ready(self):
        from . import accounts, checks, metrics  # noqa: F401 (checks registers itself)

        accounts.connect_signals()
        metrics.register_collector()
        accounts.label_allauth_fields()
