"""Operable on several machines: one JSON log line per request and per task with a request id
that follows the request into its tasks; Prometheus metrics only from loopback or with the
token; a readiness check that names what is down; errors to Sentry with nothing personal."""

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from toolkit_portal import observability
from toolkit_portal.tasks import ping

# Requests ------------------------------------------------------------------------------------


def _json_lines(caplog, logger):
    formatter = observability.JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_each_request_is_one_json_line_with_the_id_the_proxy_gave(client, caplog, consultant):
    caplog.set_level(logging.INFO, logger="portal.request")
    client.force_login(consultant)
    response = client.get("/me/requests/?q=secret", HTTP_X_REQUEST_ID="haproxy-id-0001")
    assert response["X-Request-ID"] == "haproxy-id-0001"
    [line] = _json_lines(caplog, "portal.request")
    assert line["request_id"] == "haproxy-id-0001"
    assert line["method"] == "GET" and line["status"] == 200
    assert line["route"] == "me/requests/" and line["user_id"] == consultant.pk
    assert line["duration_ms"] >= 0
    # Nothing a person typed, and not their address.
    assert "secret" not in json.dumps(line) and consultant.email not in json.dumps(line)


def test_a_request_id_that_does_not_look_like_one_is_replaced(client):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b")
    assert response["X-Request-ID"] != "x\r\nSet-Cookie: a=b"
    assert len(response["X-Request-ID"]) == 32


def test_an_address_holding_a_token_is_logged_by_its_route(client, caplog, db):
    caplog.set_level(logging.INFO, logger="portal.request")
    client.get("/calendar/the-secret-token.ics")
    [line] = _json_lines(caplog, "portal.request")
    assert line["route"] == "calendar/<str:token>.ics"
    assert "the-secret-token" not in json.dumps(line)


# Tasks ---------------------------------------------------------------------------------------


def test_a_task_queued_during_a_request_carries_its_id_to_the_worker(caplog):
    caplog.set_level(logging.INFO, logger="portal.task")
    headers = {}
    token = observability.request_id_var.set("web-request-42")
    try:
        observability._send_request_id(headers=headers)  # before_task_publish, on the web
    finally:
        observability.request_id_var.reset(token)
    assert headers == {"portal_request_id": "web-request-42"}

    ping.apply(headers=headers)  # the worker's side: task_prerun reads it, task_postrun logs
    [line] = _json_lines(caplog, "portal.task")
    assert line["request_id"] == "web-request-42"
    assert line["task"] == "toolkit_portal.tasks.ping" and line["state"] == "SUCCESS"
    assert observability.current_request_id() == ""  # nothing left for the next task


# Metrics -------------------------------------------------------------------------------------

METRICS = "/metrics"


def test_metrics_answer_from_loopback(client, db):
    client.get(reverse("healthz"))
    response = client.get(METRICS)
    assert response.status_code == 200
    text = response.content.decode()
    for name in (
        'portal_http_requests_total{method="GET",status="200",view="healthz"}',
        "portal_http_request_duration_seconds_bucket",
        "portal_db_queries_total",
        "portal_db_query_duration_seconds",
        "portal_celery_queue_length",
        "portal_notifications",
    ):
        assert name in text, name


@pytest.mark.parametrize(
    "where",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        # Through the proxy: its address is loopback, but the client is not.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
    ],
)
def test_metrics_are_hidden_from_anyone_else_without_the_token(client, settings, where):
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    assert client.get(METRICS, **where).status_code == 404
    wrong = client.get(METRICS, HTTP_AUTHORIZATION="Bearer guess", **where)
    assert wrong.status_code == 404
    right = client.get(METRICS, HTTP_AUTHORIZATION="Bearer scrape-token-0123456789", **where)
    assert right.status_code == 200


def test_without_a_token_set_no_token_opens_the_metrics(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get(METRICS, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404


# Readiness -----------------------------------------------------------------------------------


def test_readyz_says_ready_when_every_dependency_answers(client, db):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "down": [],
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "storage": "ok",
    }


def test_readyz_names_the_dependency_that_is_down(client, settings, db):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]
    assert response.json()["cache"] == "unreachable"


# Sentry --------------------------------------------------------------------------------------

LEGAL_NAME = "Marisol Quetzalli Arbuthnot"
PAYMENT = "routing 021000021 account 4403981177"


@pytest.fixture
def sentry_events():
    """Sentry initialised as SENTRY_DSN would, with a transport that keeps the envelopes."""
    import sentry_sdk
    from sentry_sdk.transport import Transport

    from toolkit_portal.sentry import init_sentry

    captured = []

    class InMemory(Transport):
        def capture_envelope(self, envelope):
            captured.extend(item.payload.json for item in envelope.items if item.type == "event")

    init_sentry("https://public@sentry.example.org/1", environment="test", transport=InMemory)
    yield captured
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: off again


def test_errors_reach_sentry_with_nothing_personal(sentry_events, settings, consultant):
    from survivors.models import PrivateDetails
    from tests.survivors.factories import ConsultantProfileFactory

    settings.ROOT_URLCONF = "tests.security.urls_failing"
    settings.DEBUG = False
    profile = ConsultantProfileFactory(user=consultant)
    PrivateDetails.objects.create(profile=profile, legal_name=LEGAL_NAME, payment_details=PAYMENT)
    browser = Client(raise_request_exception=False)
    browser.force_login(consultant)
    response = browser.post(
        f"/failing/?email={consultant.email}",
        {"legal_name": LEGAL_NAME, "payment": PAYMENT, "email": consultant.email},
        HTTP_X_REQUEST_ID="failing-request-1",
    )
    assert response.status_code == 500
    import sentry_sdk

    sentry_sdk.get_client().flush(timeout=5)
    assert sentry_events, "the error reached Sentry"
    sent = json.dumps(sentry_events)
    assert "RuntimeError" in sent and "The view failed." in sent
    for personal in (LEGAL_NAME, "021000021", "4403981177", consultant.email, "sessionid"):
        assert personal not in sent, personal
    [event] = sentry_events
    assert set(event["request"]) <= {"method", "url", "headers"}
    assert "failing" not in json.dumps(event["request"])  # no path: it may hold a token
    assert event.get("user", {}).keys() <= {"id"}


def test_the_scrubber_blanks_addresses_and_account_numbers_in_messages():
    from toolkit_portal.sentry import scrub_event

    event = scrub_event(
        {
            "exception": {"values": [{"value": "Key (email)=(ana@example.org) exists"}]},
            "logentry": {"message": "paid to 4403981177", "params": ["Ana Legal"]},
            "breadcrumbs": {"values": [{"message": "SELECT 1", "data": {"params": ["x"]}}]},
            "extra": {"sys.argv": ["manage.py"]},
            "timestamp": "2026-12-05T10:00:00Z",
        }
    )
    assert event["exception"]["values"][0]["value"] == "Key (email)=([email]) exists"
    assert event["logentry"] == {"message": "paid to [number]", "formatted": None}
    assert event["breadcrumbs"]["values"] == [{"message": "SELECT 1"}]
    assert "extra" not in event and event["timestamp"] == "2026-12-05T10:00:00Z"


def test_a_task_queued_by_beat_passes_its_own_id_on(caplog):
    caplog.set_level(logging.INFO, logger="portal.task")
    result = ping.apply()
    [line] = _json_lines(caplog, "portal.task")
    assert line["request_id"] == f"task-{result.id}"
