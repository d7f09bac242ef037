"""gunicorn under the production settings, and signed-in sessions for it (bench and load)."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# Pages are served over plain HTTP on loopback; the production settings trust this header
# from the TLS proxy (SECURE_PROXY_SSL_HEADER), so no redirect to https happens and the
# secure cookies are accepted. Production defaults stay as they are.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
SESSION_COOKIE = "__Host-sessionid"
CSRF_COOKIE = "__Host-csrftoken"


def production_env():
    """Throwaway secrets for a production-settings process on loopback."""
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or "bench-" + secrets.token_urlsafe(40),
        FIELD_ENCRYPTION_SALT="bench-salt",
        ALLOWED_HOSTS=HOST,
        EMAIL_URL="consolemail://",
        CONN_MAX_AGE=env.get("CONN_MAX_AGE", "600"),
        CELERY_TASK_ALWAYS_EAGER="false",
        DEBUG="false",
    )
    if not env.get("DATABASE_URL") or not env.get("REDIS_URL"):
        sys.exit("DATABASE_URL and REDIS_URL must point at the seeded database and a Redis.")
    # Every process of the run (this one, gunicorn's workers) signs with the same key.
    env["BENCH_SECRET_KEY"] = env["SECRET_KEY"]
    return env


def setup_django():
    """Configure this process like the server (same settings, same database)."""
    os.environ.update(production_env())
    import django

    django.setup()


def collectstatic(env):
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


def free_port():
    """A loopback port nothing listens on now: runs beside each other do not clash."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with sync workers, one a core, on a loopback port (by default a free one)."""

    def __init__(self, env, port=None, workers=None):
        self.env = env
        self.port = port or free_port()
        self.workers = workers or os.cpu_count() or 2
        self.process = None

    @property
    def base(self):
        return f"http://{HOST}:{self.port}"

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 — our own gunicorn command
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "portal_site.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=BASE_DIR,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit("gunicorn stopped during start-up (see its log above).")
            try:
                request = urllib.request.Request(  # noqa: S310 — http on loopback
                    self.base + "/healthz", headers=PROXY_HEADERS
                )
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310  # nosec B310
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.__exit__()
        sys.exit("gunicorn did not answer /healthz within a minute.")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def signed_in_session(user):
    """A session as allauth leaves it after a sign-in with the second factor."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    now = time.time()
    methods = [{"method": "password", "at": now, "email": user.email}]
    if user.requires_mfa():
        methods.append({"method": "mfa", "at": now, "id": 1, "type": "totp"})
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["account_authentication_methods"] = methods
    store["account_authentication_methods_user"] = str(user.pk)
    store.create()
    return store.session_key


def fetch(base, path, session_key, method="GET", data=None, csrf=None, cookies=(), full=False):
    """One request as a browser behind the TLS proxy would send it; returns (status, body),
    or (status, body, headers) with `full`."""
    headers = dict(PROXY_HEADERS)
    cookies = [f"{SESSION_COOKIE}={session_key}", *cookies]
    if csrf:
        netloc = base.split("://", 1)[1]
        cookies.append(f"{CSRF_COOKIE}={csrf}")
        headers["Referer"] = f"https://{netloc}{path}"
        headers["Origin"] = f"https://{netloc}"
    headers["Cookie"] = "; ".join(cookies)
    body = None
    if data is not None:
        from urllib.parse import urlencode

        body = urlencode({**data, "csrfmiddlewaretoken": csrf or ""}, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(  # noqa: S310 — http on loopback
        base + path, data=body, headers=headers, method=method
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            result = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        result = error.code, error.read().decode(errors="replace"), error.headers
    return result if full else result[:2]


def set_cookies(headers):
    """The name=value pairs a response asks the browser to keep."""
    return [value.split(";", 1)[0] for value in headers.get_all("Set-Cookie") or []]
