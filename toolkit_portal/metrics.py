"""Prometheus metrics at /metrics (prometheus-client): requests by view, method and status,
their latencies, database queries (count, errors, time); plus, read when scraped, the Celery
queue depth in Redis and the notifications by status. (django-prometheus would do the
request part but requires Django < 6.1.)

Only for the machines' monitoring: answered to a request made on this machine's loopback
without passing a proxy (no X-Forwarded-For), or carrying `Authorization: Bearer
<METRICS_TOKEN>`; anyone else gets 404, as for an address that does not exist. haproxy
refuses /metrics from outside too (deploy/haproxy.cfg). Under gunicorn, set
PROMETHEUS_MULTIPROC_DIR to an empty folder for all workers' numbers in one answer.
"""

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.db.backends.signals import connection_created
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from toolkit_portal import redis_urls

REQUESTS = Counter(
    "portal_http_requests", "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)  # fmt: skip
LATENCY = Histogram(
    "portal_http_request_duration_seconds", "Time to answer a request, by view and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)  # fmt: skip
QUERIES = Counter("portal_db_queries", "Database queries run.")
QUERY_ERRORS = Counter("portal_db_query_errors", "Database queries that failed.")
QUERY_SECONDS = Histogram(
    "portal_db_query_duration_seconds", "Time a database query took.",
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5),
)  # fmt: skip


class MetricsMiddleware:
    """Counts and times every request (first in MIDDLEWARE, so everything is inside)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        began = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "(no route)"
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        LATENCY.labels(view, request.method).observe(time.perf_counter() - began)
        return response


def _count_query(execute, sql, params, many, context):
    began = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    except Exception:
        QUERY_ERRORS.inc()
        raise
    finally:
        QUERIES.inc()
        QUERY_SECONDS.observe(time.perf_counter() - began)


def _watch_connection(sender, connection, **kwargs):
    if _count_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count_query)


def _from_loopback(request):
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False  # it came through a proxy: its address is the proxy's
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _has_token(request):
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def may_read_metrics(request):
    return _has_token(request) or _from_loopback(request)


@never_cache
@require_safe
def metrics(request):
    if not may_read_metrics(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(PortalCollector())
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


class PortalCollector:
    """Values read when Prometheus scrapes (a failure leaves the metric out, never the page)."""

    def describe(self):
        # What the registry asks at start-up, so that registering reads nothing.
        yield GaugeMetricFamily("portal_celery_queue_length", "", labels=["queue"])
        yield GaugeMetricFamily("portal_notifications", "", labels=["status"])

    def collect(self):
        queue = GaugeMetricFamily(
            "portal_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        url = settings.CELERY_BROKER_URL
        if redis_urls.is_redis(url):
            try:
                import redis

                client = redis.Redis.from_url(
                    redis_urls.for_redis_py(url), socket_timeout=2, socket_connect_timeout=2
                )
                name = settings.CELERY_TASK_DEFAULT_QUEUE
                queue.add_metric([name], client.llen(name))
            except Exception:  # noqa: S110 — Redis down: /readyz says so
                pass
        yield queue
        notifications = GaugeMetricFamily(
            "portal_notifications", "Notifications by delivery status.", labels=["status"]
        )
        try:
            from django.db.models import Count

            from toolkit_portal.models import Notification

            for row in Notification.objects.values("status").annotate(count=Count("id")):
                notifications.add_metric([row["status"]], row["count"])
        except Exception:  # noqa: S110 — the database down: /readyz says so
            pass
        yield notifications


_registered = False


def register_collector():
    """At start-up: the scrape-time collector, and the query counter on each connection."""
    global _registered
    if not _registered:
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            REGISTRY.register(PortalCollector())
        connection_created.connect(_watch_connection, dispatch_uid="portal_metrics_queries")
        _registered = True
