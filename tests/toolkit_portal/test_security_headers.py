"""Pages carry no inline script or style, so the CSP needs no 'unsafe-inline'.

The headers of every address (CSP, nosniff, referrer and permissions policies, no-store when
signed in, Clear-Site-Data on sign-out) are checked by tests/security/test_headers_everywhere.py;
production's cookies and HSTS by tests/toolkit_portal/test_production_settings.py.
"""

from django.urls import reverse


def test_pages_have_no_inline_script_or_style(client, consultant):
    client.force_login(consultant)
    html = client.get(reverse("home")).content.decode()
    assert " style=" not in html
    assert "<style" not in html
    assert " onclick=" not in html
    for chunk in html.split("<script")[1:]:
        assert chunk.lstrip().startswith("src="), "inline <script> found"
