"""The quick exit ends the session, and signed-in pages are never kept by the browser, so
Back after "Leave this site" reaches no page with the person's details (the browser's own
proof is tests/browser/test_quick_exit_back.py)."""

import re

from django.test import Client
from django.urls import reverse


def _token(html):
    return re.search(r'data-quick-exit-token="([^"]+)"', html).group(1)


def test_signed_in_pages_are_not_stored_and_public_pages_keep_their_headers(client, profile):
    anonymous = client.get(reverse("trainings:list"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(profile.user)
    for name in ("home", "trainings:list"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name


def test_leave_this_site_carries_the_address_and_token_only_when_signed_in(client, profile):
    html = client.get(reverse("home")).content.decode()
    assert "data-quick-exit" in html and "data-quick-exit-token" not in html
    client.force_login(profile.user)
    html = client.get(reverse("home")).content.decode()
    assert f'data-quick-exit-end="{reverse("quick-exit")}"' in html
    assert _token(html)


def test_quick_exit_signs_out_and_clears_what_the_browser_kept(db, profile):
    client = Client(enforce_csrf_checks=True)
    client.force_login(profile.user)
    token = _token(client.get(reverse("home")).content.decode())
    # Without the token: refused, still signed in.
    assert client.post(reverse("quick-exit")).status_code == 403
    assert client.get(reverse("home")).context["user"].is_authenticated
    response = client.post(reverse("quick-exit"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 204
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response["Cache-Control"]
    # Back to any portal page now finds only the sign-in page.
    after = client.get(reverse("survivors:my-requests"))
    assert after.status_code == 302 and reverse("account_login") in after["Location"]
    # The address only takes a form: opened as a link by a visitor, it goes to sign in.
    opened = client.get(reverse("quick-exit"))
    assert opened.status_code == 302 and reverse("account_login") in opened["Location"]


def test_quick_exit_for_a_visitor_does_nothing(client, db):
    assert client.post(reverse("quick-exit")).status_code == 204
