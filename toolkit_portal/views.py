from django.contrib.auth import logout
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from .celery import app as celery_app
from .storage_settings import PRIVATE


@never_cache
@require_POST
def quick_exit(request):
    """ "Leave this site" (static/js/quick-exit.js) posts here on its way out: the session
    ends and the browser is asked to drop what it kept of the site, so Back reaches no page
    with the person's details, only the sign-in page. Answers 204, signed in or not."""
    if request.user.is_authenticated:
        logout(request)  # also sets Clear-Site-Data (accounts._signed_out)
    return HttpResponse(status=204)


def _database_reachable():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_reachable():
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def _cache_works():
    try:
        cache.set("portal:readyz", "ok", 10)
        return cache.get("portal:readyz") == "ok"
    except Exception:
        return False


def _storage_reachable():
    try:
        storages[PRIVATE].exists("readyz-check")
        return True
    except Exception:
        return False


@never_cache
@require_safe
def readyz(request):
    """Readiness: whether every dependency answers, naming the ones that do not (503)."""
    checks = {
        "database": _database_reachable(),
        "cache": _cache_works(),
        "broker": _broker_reachable(),
        "storage": _storage_reachable(),
    }
    down = sorted(name for name, ok in checks.items() if not ok)
    return JsonResponse(
        {
            "status": "down" if down else "ok",
            "down": down,
            **{name: "ok" if ok else "unreachable" for name, ok in checks.items()},
        },
        status=503 if down else 200,
    )


@never_cache
@require_safe
def healthz(request):
    database = _database_reachable()
    broker = _broker_reachable()
    return JsonResponse(
        {
            "status": "ok" if database and broker else "degraded" if database else "down",
            "database": "ok" if database else "unreachable",
            "broker": "ok" if broker else "unreachable",
        },
        status=200 if database else 503,
    )
