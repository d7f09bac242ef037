"""DJANGO_ENV=production refuses to start without its secrets and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 20 + "production-secret-for-the-test-only-9f8e7d6c5b4a",
    "FIELD_ENCRYPTION_SALT": "production-salt-for-the-test-only",
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@mail.example.org:587",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/portal"),
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


def test_demo_data_is_refused_in_production():
    result = manage("load_demo", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "never loaded when DJANGO_ENV=production" in result.stderr
