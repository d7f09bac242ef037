import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse

from partnerships.models import Membership, Partnership
from toolkit_portal.models import User


@pytest.mark.broker
def test_healthz_reports_database_and_broker(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client, db, monkeypatch):
    class UnreachableDatabase:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("toolkit_portal.views.connection", UnreachableDatabase())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.broker
def test_healthz_reports_an_unreachable_broker(client, db, settings):
    from toolkit_portal.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = original
    assert response.status_code == 200
    assert response.json()["broker"] == "unreachable"


def test_demo_data_is_idempotent_and_usable(client, db):
    call_command("load_demo")
    call_command("load_demo")
    assert User.objects.filter(email__endswith="@demo.local").count() == 7
    assert Partnership.objects.count() == 2  # two demo partnerships
    coordinator = User.objects.get(email="coordinator@demo.local")
    assert coordinator.is_approved_coordinator
    assert Membership.objects.filter(user=coordinator, role="coordinator").exists()
    for email in ["admin@demo.local", "coordinator@demo.local"]:
        assert Authenticator.objects.filter(user__email=email, type="totp").count() == 1
    assert client.login(email="consultant@demo.local", password="demo-pass-2026")


@pytest.mark.parametrize("code", [403, 404])
def test_error_pages_use_the_site_layout(client, db, code):
    from django.test import override_settings

    with override_settings(DEBUG=False):
        response = client.get("/no-such-page/" if code == 404 else reverse("admin:index"))
    if code == 404:
        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()
        assert "Human Trafficking Hotline" in response.content.decode()
