"""Every address, every role, the expected answer.

A new URL pattern without an entry here fails `test_every_url_has_an_entry`. The Django
admin's own patterns are covered by one rule (staff only), checked on its index and on every
registered model's list and add pages.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.auth import mfa_login
from tests.urls import all_url_names

ROLES = [
    "anonymous",
    "consultant",
    "other_consultant",
    "pending_coordinator",
    "coordinator",
    "other_coordinator",
    "admin",
]

R = 302  # redirect: to sign-in for the anonymous, elsewhere for the signed-in
OK, FORBIDDEN, MISSING = 200, 403, 404


def same(code):
    return dict.fromkeys(ROLES, code)


def signed_in(code, anonymous=R):
    return {**same(code), "anonymous": anonymous}


# name -> (kwargs, {role: expected status for GET})
MATRIX = {
    "home": ({}, same(OK)),
    "healthz": ({}, same(OK)),
    "partnerships:list": ({}, same(OK)),
    # Partnership X is unlisted: only its coordinators and admins know it exists.
    "partnerships:detail": (
        {"slug": "partnership-x"},
        {**same(MISSING), "coordinator": OK, "admin": OK},
    ),
    # allauth
    "account_login": ({}, signed_in(R, anonymous=OK)),
    "account_logout": ({}, signed_in(OK, anonymous=R)),
    "account_inactive": ({}, same(OK)),
    "account_signup": ({}, signed_in(R, anonymous=OK)),
    "account_reauthenticate": ({}, signed_in(OK)),
    "account_request_reauthentication_code": ({}, signed_in(OK)),
    "account_confirm_reauthentication_code": ({}, same(R)),
    "account_email": ({}, signed_in(OK)),
    "account_email_verification_sent": ({}, same(OK)),
    "account_change_password": ({}, signed_in(OK)),
    "account_set_password": ({}, signed_in(R)),
    "account_reset_password": ({}, same(OK)),
    "account_confirm_login_code": ({}, same(R)),
    "account_confirm_email": ({"key": "not-a-real-key"}, same(OK)),
    "account_reset_password_from_key_done": ({}, same(OK)),
    "account_reset_password_from_key": ({"uidb36": "zz", "key": "not-a-key"}, same(OK)),
    "account_reset_password_done": ({}, same(OK)),
    "mfa_index": ({}, signed_in(OK)),
    "mfa_authenticate": ({}, same(R)),
    # MFA pages ask to re-authenticate first; those without MFA have nothing to re-enter.
    "mfa_reauthenticate": ({}, {**signed_in(OK), "consultant": R, "other_consultant": R}),
    "mfa_activate_totp": ({}, signed_in(R)),
    "mfa_deactivate_totp": (
        {},
        {**signed_in(R), "consultant": MISSING, "other_consultant": MISSING},
    ),
    "mfa_view_recovery_codes": ({}, signed_in(MISSING, anonymous=R)),
    "mfa_generate_recovery_codes": ({}, signed_in(R)),
    "mfa_download_recovery_codes": ({}, signed_in(MISSING, anonymous=R)),
    "usersessions_list": ({}, signed_in(OK)),
}

ADMIN_RULE = {**same(R), "admin": OK}


def test_every_url_has_an_entry():
    missing = [
        name for name in all_url_names() if name not in MATRIX and not name.startswith("admin:")
    ]
    assert missing == [], f"Add these addresses to the access matrix: {missing}"


def _client_for(client, personas, role):
    user = personas[role]
    if user is not None:
        mfa_login(client, user)
    return client


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, client, personas):
    kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs)
    answers = {}
    for role in ROLES:
        client.logout()
        response = _client_for(client, personas, role).get(url)
        answers[role] = response.status_code
    assert answers == expected, f"{url}: expected {expected}, got {answers}"


def _admin_urls():
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return urls


def test_admin_is_for_staff_only(client, personas):
    for url in _admin_urls():
        for role in ROLES:
            client.logout()
            response = _client_for(client, personas, role).get(url)
            assert response.status_code == ADMIN_RULE[role], (url, role, response.status_code)
