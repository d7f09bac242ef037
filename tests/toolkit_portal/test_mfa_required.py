"""Coordinators and admins reach nothing beyond their account settings before enrolling MFA."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.test_access_matrix import MATRIX, matrix_objects  # noqa: F401 — a fixture
from tests.toolkit_portal.factories import (
    AdminFactory,
    ConsultantFactory,
    CoordinatorFactory,
    PendingCoordinatorFactory,
)
from tests.urls import all_url_names


def every_address_outside_account_settings(objects):
    from django.contrib import admin

    urls = []
    for name in all_url_names():
        if name.startswith("admin:"):
            continue
        kwargs = MATRIX[name][0]
        if callable(kwargs):
            kwargs = kwargs(objects)
        url = reverse(name, kwargs=kwargs)
        # Account settings, and the monitoring addresses (no person's data, loopback only).
        if not url.startswith(("/accounts/", "/healthz", "/readyz", "/metrics")):
            urls.append(url)
    urls.append(reverse("admin:index"))
    for model in admin.site._registry:
        opts = model._meta
        try:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        except NoReverseMatch:
            pass
    return urls


@pytest.mark.parametrize(
    "factory",
    [CoordinatorFactory, PendingCoordinatorFactory, AdminFactory],
    ids=lambda f: f.__name__,
)
def test_every_address_sends_them_to_mfa_set_up(client, matrix_objects, factory):  # noqa: F811
    user = factory(totp=False)
    client.force_login(user)
    setup = reverse("mfa_activate_totp")
    for url in every_address_outside_account_settings(matrix_objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == setup, url


def test_account_settings_stay_reachable_without_mfa(client, db):
    client.force_login(CoordinatorFactory(totp=False))
    assert client.get(reverse("account_email")).status_code == 200
    assert client.get(reverse("usersessions_list")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200


def test_enrolled_coordinator_passes(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("home")).status_code == 200


def test_mfa_is_optional_for_consultants(client, db):
    client.force_login(ConsultantFactory(totp=False))
    assert client.get(reverse("home")).status_code == 200
