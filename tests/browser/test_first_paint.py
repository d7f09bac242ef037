"""What makes the first paint fast, checked as structure, never as a time.

`make vitals` measures the paint itself with Lighthouse; these tests hold the parts that
make it fast in place, on the pages it measures:

- no script holds up the first paint: every <script> loads from a file, deferred;
- the Bootstrap CSS shipped is the file trimmed at install time (`make css`), never the
  package's whole bootstrap.min.css, and what Bootstrap's own script adds (the menu's
  collapse) is still styled;
- a page is gzipped when the client accepts it and the request has no session; a signed-in
  page is not (BREACH: README, "Performance");
- each public page has a meta description, in English and in Spanish.
"""

import gzip
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from playwright.sync_api import expect

from tests.auth import mfa_login
from tests.partnerships.factories import PartnershipFactory
from tests.trainings.factories import TrainingFactory

pytestmark = pytest.mark.browser

PUBLIC = ["/", "/trainings/", "/partnerships/", "/partnerships/coverage/"]
ACCOUNT_PAGES = ["/accounts/login/", "/accounts/signup/"]
CONSULTANT_PAGES = ["/me/profile/", "/me/requests/", "/me/compensation/"]

SCRIPTS_AND_STYLES = """() => ({
    scripts: Array.from(document.scripts, (s) => ({
        src: s.getAttribute("src"), defer: s.defer, async: s.async, type: s.type,
    })),
    styles: Array.from(document.querySelectorAll("link[rel=stylesheet]"), (l) => l.href),
    inlineStyles: document.querySelectorAll("style").length,
})"""


class _Head(HTMLParser):
    """The <html lang> and the meta description of a page."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.description = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")


def _head(html):
    parser = _Head()
    parser.feed(html)
    return parser


@pytest.fixture
def public_pages(db):
    PartnershipFactory(name="Listed Partnership", slug="listed-partnership", is_listed=True)
    training = TrainingFactory(title="Trauma-informed interviewing")
    return [*PUBLIC, training.get_absolute_url(), *ACCOUNT_PAGES]


def _signed_in_browser(page, live_server, user):
    client = mfa_login(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_no_script_blocks_the_first_paint_and_the_css_is_trimmed(
    page, live_server, public_pages, consultant, profile
):
    trimmed = "/static/css/bootstrap.trimmed.css"

    def check(path):
        response = page.goto(live_server.url + path)
        assert response.status == 200, (path, response.status)
        assert page.url == live_server.url + path, f"{path} went to {page.url}"
        found = page.evaluate(SCRIPTS_AND_STYLES)
        assert found["scripts"], path
        for script in found["scripts"]:
            # A file, deferred: it neither stops the parser nor waits for the style sheets
            # to run before the first paint. (An inline script would need the CSP nonce.)
            assert script["src"] and script["defer"] and not script["async"], (path, script)
        styles = [href.removeprefix(live_server.url) for href in found["styles"]]
        assert styles[0] == trimmed, (path, styles)
        assert not [href for href in styles if "bootstrap.min.css" in href], (path, styles)
        assert found["inlineStyles"] == 0, path

    for path in public_pages:
        check(path)
    _signed_in_browser(page, live_server, consultant)
    for path in CONSULTANT_PAGES:
        check(path)


def test_the_trimmed_css_keeps_what_bootstraps_script_adds(page, live_server, db):
    """At 320 px the menu is collapsed; the button opens it (Bootstrap's collapse adds
    `collapsing`, then `show`, which only the safelist keeps in the trimmed CSS)."""
    full = finders.find("bootstrap/css/bootstrap.min.css")
    trimmed = finders.find("css/bootstrap.trimmed.css")
    assert trimmed, "build/static/css/bootstrap.trimmed.css is missing: run `make css`"
    with open(full, "rb") as whole, open(trimmed, "rb") as part:
        whole_size, trimmed_size = len(whole.read()), len(part.read())
    assert trimmed_size < whole_size / 3, (trimmed_size, whole_size)

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/")
    menu = page.locator("#main-nav")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(menu).to_be_visible()
    expect(menu).to_have_class(re.compile(r"\bshow\b"))
    expect(page.get_by_role("link", name="Trainings")).to_be_visible()


def test_pages_without_a_session_are_compressed(public_pages, consultant, profile):
    anonymous = Client()
    for path in public_pages:
        response = anonymous.get(path, headers={"accept-encoding": "gzip, deflate, br"})
        assert response.status_code == 200, path
        assert response["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in response["Vary"], path
        assert b"</html>" in gzip.decompress(response.content), path
        # A client that does not accept gzip gets the page as it is.
        plain = anonymous.get(path)
        assert not plain.has_header("Content-Encoding"), path
        assert plain.content.rstrip().endswith(b"</html>"), path

    # A signed-in page holds a person's data beside what the address reflects: never
    # compressed, so its size cannot leak it (BREACH).
    signed_in = mfa_login(Client(), consultant)
    for path in CONSULTANT_PAGES:
        response = signed_in.get(path, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200, path
        assert not response.has_header("Content-Encoding"), path


def test_every_public_page_has_a_description_in_english_and_spanish(public_pages):
    for path in public_pages:
        heads = {}
        for language in ("en", "es"):
            response = Client().get(path, headers={"accept-language": language})
            assert response.status_code == 200, (path, language)
            heads[language] = _head(response.content.decode())
            assert heads[language].lang == language, (path, language)
            description = heads[language].description
            assert description and len(description) >= 50, (path, language, description)
        # Translated, not the English text served to a Spanish reader.
        assert heads["en"].description != heads["es"].description, path
