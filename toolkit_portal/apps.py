from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitPortalConfig(AppConfig):
    name = "toolkit_portal"
    verbose_name = _("Accounts and portal")

    def ready(self):
        # checks registers itself; tasks registers the Celery tasks in every process, not only
        # in a worker (where autodiscovery imports them): notifications queue them by name.
        from . import accounts, checks, metrics, tasks  # noqa: F401

        accounts.connect_signals()
        metrics.register_collector()
        accounts.label_allauth_fields()
