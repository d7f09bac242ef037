"""The Celery application. Broker and options come from Django settings (CELERY_*)."""

import os

from celery import Celery
from django.conf import settings

from toolkit_portal import observability  # noqa: F401 — the request id in task logs
from toolkit_portal.worker_watchdog import Watchdog

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal_site.settings")

app = Celery("toolkit_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# RedBeat reads unprefixed options; read once the configuration is first used.
app.add_defaults(lambda: getattr(settings, "REDBEAT", {}))
app.autodiscover_tasks()
# A worker that stopped taking messages shuts down for its supervisor to restart it.
app.steps["worker"].add(Watchdog)
