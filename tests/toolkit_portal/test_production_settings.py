"""DJANGO_ENV=production refuses to start without its secrets, passes check --deploy, and
sets hardened cookies and HSTS."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.toolkit_portal.factories import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 20 + "production-secret-for-the-test-only-9f8e7d6c5b4a",
    "FIELD_ENCRYPTION_SALT": "production-salt-for-the-test-only",
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@mail.example.org:587",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/portal"),
    "TRUSTED_PROXY_COUNT": "1",
}


def manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "FIELD_ENCRYPTION_SALT", "ALLOWED_HOSTS", "EMAIL_URL", "REDIS_URL"]
)
def test_a_missing_production_setting_stops_start_up_with_one_line(missing):
    result = manage("check", **{**PRODUCTION_ENV, missing: None})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines == [f"Configuration error: {missing} must be set when DJANGO_ENV=production."]


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "where_the_address_is, warned",
    [
        ({"TRUSTED_PROXY_COUNT": "0"}, True),
        ({"TRUSTED_PROXY_COUNT": "0", "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, False),
        ({"TRUSTED_PROXY_COUNT": "0", "BEHIND_TLS_PROXY": "false"}, False),
    ],
)
def test_check_deploy_warns_when_behind_a_proxy_every_visitor_would_share_one_count(
    where_the_address_is, warned
):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION_ENV, **where_the_address_is}
    )
    assert ("portal.W001" in result.stderr) is warned, result.stdout + result.stderr
    assert (result.returncode != 0) is warned


def test_production_hardening():
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_NAME,"
        " s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )
    result = manage("shell", "--no-imports", "-c", script, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "31536000",
        "True",
        "True",
        "True",
        "__Host-sessionid",
        "True",
        "False",
    ]


COOKIE_AND_TRANSPORT_SETTINGS = [
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_DOMAIN",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
]


def test_production_cookies_and_hsts_on_a_real_sign_in(client, consultant, settings):
    """The settings production starts with, applied here: signing in over HTTPS sets a
    __Host- session cookie (Secure, HttpOnly, SameSite, no Domain, Path=/), every answer
    carries HSTS, and plain HTTP is sent to HTTPS."""
    script = (
        "import json; from django.conf import settings as s;"
        f"print(json.dumps({{k: getattr(s, k) for k in {COOKIE_AND_TRANSPORT_SETTINGS!r}}}))"
    )
    result = manage("shell", "--no-imports", "-c", script, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout)
    for name, value in production.items():
        setattr(settings, name, value)

    plain = client.get(reverse("account_login"))
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://testserver/accounts/login/"

    response = client.post(
        reverse("account_login"),
        {"login": consultant.email, "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    assert "Strict-Transport-Security" in response.headers
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    cookie = response.cookies["__Host-sessionid"]
    assert cookie.value
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""  # a __Host- cookie must not name a domain
    csrf = response.cookies["__Host-csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax" and csrf["domain"] == ""
    page = client.get(reverse("inbox"), secure=True)
    assert page.status_code == 200
    assert "no-store" in page.headers["Cache-Control"]


def test_demo_data_is_refused_in_production():
    result = manage("load_demo", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "never loaded when DJANGO_ENV=production" in result.stderr
