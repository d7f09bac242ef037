"""The Celery application. Broker and options come from Django settings (CELERY_*)."""

import os

from celery import Celery, signals
from django.conf import settings
from django.db import close_old_connections

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


# Celery's Django fixup closes every database connection before and after each task unless
# CELERY_DB_REUSE_MAX is set, so each delivery would open a connection (and PostgreSQL start a
# backend) of its own. settings.py sets it out of reach; a task then meets its connections as a
# web request does: Django closes one older than CONN_MAX_AGE or left broken, and checks the
# one it keeps before the first query (conn_health_checks), so a restarted PostgreSQL costs one
# reconnection. Eager tasks run inside the caller's request or test transaction: left alone.
@signals.task_prerun.connect(weak=False, dispatch_uid="portal_task_connections_prerun")
@signals.task_postrun.connect(weak=False, dispatch_uid="portal_task_connections_postrun")
def _close_old_connections(task=None, **kwargs):
    if not getattr(getattr(task, "request", None), "is_eager", False):
        close_old_connections()
