import pytest
from django.urls import reverse


def test_every_response_carries_the_security_headers(client, db):
    response = client.get(reverse("home"))
    csp = response.headers["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "style-src 'self'",
    ]:
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in ["camera=()", "microphone=()", "geolocation=()"]:
        assert feature in permissions


@pytest.mark.parametrize("name", ["home", "account_email", "partnerships:list"])
def test_signed_in_pages_are_never_stored(client, consultant, name):
    client.force_login(consultant)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_pages_have_no_inline_script_or_style(client, consultant):
    client.force_login(consultant)
    html = client.get(reverse("home")).content.decode()
    assert " style=" not in html
    assert "<style" not in html
    assert " onclick=" not in html
    for chunk in html.split("<script")[1:]:
        assert chunk.lstrip().startswith("src="), "inline <script> found"
