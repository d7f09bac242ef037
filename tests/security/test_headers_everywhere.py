"""Every address answers with the security headers; signed-in pages are never stored; signing
out clears what the browser kept.

The addresses and the objects they point at come from the access matrix, so a new address
is covered here as soon as it has its entry there. Each is asked once, as a role that may
open it (or, where no role gets a page, as an admin).
"""

import re

from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.auth import mfa_login
from tests.test_access_matrix import MATRIX, ROLES, matrix_objects  # noqa: F401 — a fixture
from tests.urls import all_url_names

from .signing_in import fail_sign_in, sign_in

CSP_DIRECTIVES = [
    "default-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]

UPLOADED_FILES_CSP = "default-src 'none'; sandbox"


def assert_security_headers(response, *, signed_in, where):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    if csp == UPLOADED_FILES_CSP and not headers["Content-Type"].startswith("text/html"):
        pass  # an uploaded file is served under a stricter policy still
    else:
        for directive in CSP_DIRECTIVES:
            assert directive in csp, (where, directive, csp)
        # Scripts from the portal itself, plus the page's own nonce when it prints one.
        assert re.search(r"script-src 'self'( 'nonce-[\w+/=-]+')?;", csp), (where, csp)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    permissions = headers.get("Permissions-Policy", "")
    for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"]:
        assert feature in permissions, (where, permissions)
    if signed_in:
        cache_control = headers.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, (where, cache_control)


def _kwargs_and_get_answers(entry):
    """An entry is an Entry (kwargs, answers per method) or a plain tuple (kwargs, GET
    answers, ...)."""
    if hasattr(entry, "answers"):
        return entry.kwargs, entry.answers["GET"]
    return entry[0], entry[1]


def _role_for(get_answers):
    """A role that gets the page itself (and True), or the admin where no one does (a
    POST-only address) and False."""
    role = next((role for role in ROLES if get_answers[role] == 200), None)
    return (role, True) if role else ("admin", False)


def _ask(name, objects, client_for):
    if name not in MATRIX:
        # test_access_matrix fails until the entry is written; meanwhile an address
        # without arguments is still asked, as a signed-in consultant.
        url, role, gets_page = reverse(name), "consultant", False
    else:
        kwargs, get_answers = _kwargs_and_get_answers(MATRIX[name])
        if callable(kwargs):
            kwargs = kwargs(objects)
        url = reverse(name, kwargs=kwargs)
        role, gets_page = _role_for(get_answers)
    return url, role, client_for(role).get(url), gets_page


def test_every_address_carries_the_security_headers(personas, matrix_objects):  # noqa: F811
    clients = {role: Client() for role in ROLES}
    for role, client in clients.items():
        if personas[role] is not None:
            mfa_login(client, personas[role])
    client_for = clients.__getitem__

    names = [name for name in all_url_names() if not name.startswith("admin:")]
    asked = []
    for name in names:
        # Each address in a savepoint, undone after: some tables build their records per
        # address, and a record of one may stand in the way of the next.
        with transaction.atomic():
            url, role, response, gets_page = _ask(name, matrix_objects, client_for)
            transaction.set_rollback(True)
        if gets_page:
            assert response.status_code == 200, (url, role, response.status_code)
        assert_security_headers(response, signed_in=role != "anonymous", where=(url, role))
        asked.append(url)

    # The Django admin: its index and every registered model's list.
    admin_client = client_for("admin")
    admin_urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for url in admin_urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, signed_in=True, where=url)

    # Error pages too.
    for response, signed_in in [
        (client_for("consultant").get("/no-such-page/"), True),
        (client_for("anonymous").get("/no-such-page/"), False),
        (client_for("consultant").get(reverse("survivors:directory")), True),
    ]:
        assert response.status_code in (403, 404)
        assert_security_headers(response, signed_in=signed_in, where=response.request["PATH_INFO"])
    assert len(asked) == len(names)


def test_the_too_many_attempts_page_carries_them_too(client, consultant):
    for _ in range(5):
        fail_sign_in(client, consultant.email)
    response = fail_sign_in(client, consultant.email)
    assert response.status_code == 429
    assert_security_headers(response, signed_in=False, where="429")


def test_signing_out_clears_the_site_data(client, consultant):
    sign_in(client, consultant)
    confirm = client.get(reverse("account_logout"))
    assert confirm.status_code == 200
    assert "Clear-Site-Data" not in confirm.headers
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response.headers["Cache-Control"]
    assert_security_headers(response, signed_in=False, where="sign-out")
    assert client.cookies["sessionid"].value == ""  # the session cookie is deleted
    # Nothing else answers with it.
    assert "Clear-Site-Data" not in client.get(reverse("home")).headers


def test_an_idle_sign_out_clears_the_site_data_too(client, coordinator):
    from .test_accounts_security import _age

    mfa_login(client, coordinator)
    _age(client, seen=60 * 60)
    response = client.get(reverse("inbox"))
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
