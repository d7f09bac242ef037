"""One JSON line per request and per task, with a request id that follows a request into the
tasks it queues (README, "Logs, metrics and errors").

- `RequestIdMiddleware` takes the id haproxy set (`X-Request-ID`, when it looks like one) or
  makes one, returns it in the response, and logs the request when it is done: method, the
  route (the URL pattern, never the address itself, which may hold a token), status,
  duration and the account's number; never a query, a body or an email address.
- Celery signals carry the id in a message header to the worker, which logs each task with
  it (`portal.task`).
- `JsonFormatter` writes every record as one JSON object, with the current request id.
"""

import contextvars
import json
import logging
import re
import time
import uuid

from celery import signals

request_id_var = contextvars.ContextVar("portal_request_id", default="")
HEADER = "X-Request-ID"
TASK_HEADER = "portal_request_id"
VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

request_logger = logging.getLogger("portal.request")
task_logger = logging.getLogger("portal.task")


def current_request_id():
    return request_id_var.get()


_make_record = logging.getLogRecordFactory()


def _record_with_request_id(*args, **kwargs):
    """Every log record remembers the request (or task) it was made in."""
    record = _make_record(*args, **kwargs)
    record.request_id = request_id_var.get()
    return record


logging.setLogRecordFactory(_record_with_request_id)


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", "request_id", …the record's `fields`}."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if VALID_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id
        began = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            match = getattr(request, "resolver_match", None)
            user = getattr(request, "user", None)
            request_logger.info(
                "%s %s %s",
                request.method,
                match.route if match else "(no route)",
                response.status_code,
                extra={
                    "fields": {
                        "method": request.method,
                        "route": match.route if match else None,
                        "view": match.view_name if match else None,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - began) * 1000, 1),
                        "user_id": user.pk if user is not None and user.is_authenticated else None,
                    }
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# Celery -------------------------------------------------------------------------------------

_task_started = {}


@signals.before_task_publish.connect(weak=False, dispatch_uid="portal_request_id_publish")
def _send_request_id(headers=None, **kwargs):
    request_id = current_request_id()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


@signals.task_prerun.connect(weak=False, dispatch_uid="portal_request_id_prerun")
def _receive_request_id(task_id=None, task=None, **kwargs):
    request = getattr(task, "request", None)
    request_id = getattr(request, TASK_HEADER, None) or ((request and request.headers) or {}).get(
        TASK_HEADER
    )
    if not (request_id and VALID_ID.fullmatch(request_id)):
        # Queued by beat or by hand: the task's own id then follows what it queues (a sweep's
        # id is on each delivery it queued).
        request_id = f"task-{task_id}" if task_id else ""
    request_id_var.set(request_id)
    _task_started[task_id] = time.perf_counter()


@signals.task_postrun.connect(weak=False, dispatch_uid="portal_request_id_postrun")
def _log_task(task_id=None, task=None, state=None, **kwargs):
    began = _task_started.pop(task_id, None)
    task_logger.info(
        "%s %s",
        getattr(task, "name", "?"),
        state,
        extra={
            "fields": {
                "task": getattr(task, "name", None),
                "task_id": task_id,
                "state": state,
                "duration_ms": round((time.perf_counter() - began) * 1000, 1) if began else None,
            }
        },
    )
    request_id_var.set("")
