"""Errors to Sentry when SENTRY_DSN is set, with personal data scrubbed before sending.

`send_default_pii=False` keeps cookies, the user's address and email out, no local variables
are sent, and no request body is ever read. `scrub_event` (before_send) then keeps of the
request only its method and route, of the user only the account's number, drops breadcrumbs'
data (SQL parameters, log arguments) and the `extra` context, and blanks email addresses and
long digit runs (account, routing or card numbers) in every message that remains. Legal
names cannot be recognised in free text: they are kept out by never sending bodies, local
variables or log arguments.
"""

import re

EMAIL = re.compile(r"[^\s@<>()\"',;:]+@[^\s@<>()\"',;:]+\.[A-Za-z]{2,}")
DIGITS = re.compile(r"\d[\d \-]{6,}\d")
KEPT_HEADERS = {"content-type", "content-length", "x-request-id", "user-agent"}


def _clean(text):
    if not isinstance(text, str):
        return text
    return DIGITS.sub("[number]", EMAIL.sub("[email]", text))


def _walk(value):
    if isinstance(value, dict):
        return {key: _walk(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item) for item in value]
    return _clean(value)


def scrub_event(event, hint=None):
    request = event.get("request")
    if request:
        url = request.get("url", "")
        event["request"] = {
            "method": request.get("method"),
            # The address may hold a token (calendar feeds, invitations): keep no path.
            "url": url.split("://", 1)[0] + "://" + url.split("://", 1)[-1].split("/", 1)[0]
            if url
            else None,
            "headers": {
                name: value
                for name, value in (request.get("headers") or {}).items()
                if name.lower() in KEPT_HEADERS
            },
        }
    user = event.get("user")
    if user:
        event["user"] = {"id": user.get("id")} if user.get("id") else {}
    event.pop("extra", None)
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values", []):
        breadcrumb.pop("data", None)
    logentry = event.get("logentry")
    if logentry:
        logentry.pop("params", None)
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values", []):
        breadcrumb["message"] = _clean(breadcrumb.get("message"))
    if logentry:
        logentry.update(_walk({key: logentry.get(key) for key in ("message", "formatted")}))
    if "message" in event:
        event["message"] = _clean(event["message"])
    for exception in (event.get("exception") or {}).get("values", []):
        exception["value"] = _clean(exception.get("value"))
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    return event


def init_sentry(dsn, *, environment, release=None, transport=None):
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    options = {}
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=0,
        **options,
    )
