from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from partnerships import services as partnership_services
from partnerships.models import Partnership

from .celery import app as celery_app
from .models import User
from .storage_settings import PRIVATE


def home(request):
    """The public landing page, or the signed-in person's dashboard."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "toolkit_portal/landing.html")
    if user.is_pending_coordinator:
        return render(request, "toolkit_portal/pending_approval.html")
    if user.is_coordinator:
        partnerships = Partnership.objects.coordinated_by(user)
        return render(
            request,
            "toolkit_portal/coordinator_dashboard.html",
            {
                "partnerships": partnerships,
                "needs": partnership_services.coordinator_dashboard(user),
            },
        )
    if user.is_portal_admin:
        return render(
            request,
            "toolkit_portal/admin_dashboard.html",
            {"pending_coordinator_count": User.objects.pending_coordinators().count()},
        )
    return render(request, "toolkit_portal/consultant_dashboard.html")


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
