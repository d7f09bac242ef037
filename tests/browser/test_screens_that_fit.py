"""Screens that fit: no page scrolls sideways at any width from 320 to 1920 px.

Every page the accessibility sweep opens, as each role that may open it, is loaded in Spanish
in a Chromium whose scrollbars take layout width (classic scrollbars, as on Windows and most
Linux desktops, not the overlay ones headless Chromium uses by default), and measured at the
narrow end of each of Bootstrap's layouts (`WIDTHS` in conftest.py: within one layout a page
only gains room as the window widens). The page's `scrollWidth` must not exceed
`documentElement.clientWidth`: a classic vertical scrollbar already sits outside the layout
viewport. The English pages are measured the same way by the accessibility sweep, in the
same browser, as it checks them.

One browser context per role, each url opened once and measured at every width (resizing
the window re-lays the page out; no reload, no axe), so the sweep is fast.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.auth import mfa_login
from tests.browser.conftest import (
    MEASURE,
    STEP_TIMEOUT_MS,
    VOLATILE,
    WIDTHS,
    sideways_scrolling,
)
from tests.browser.test_accessibility_sweep import _urls
from tests.test_access_matrix import matrix_objects  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

HEIGHT = 800
LANGUAGES = {"en": "en-US", "es": "es-ES"}


def signed_in_context(browser, live_server, persona, language, width=WIDTHS[0]):
    """A context signed in as `persona` (None: anonymous), reading pages in `language`."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if persona is not None:
        # A signed-in person's pages follow the account's language, not the cookie.
        persona.language = language
        persona.save(update_fields=["language"])
        mfa_login(client, persona)
    context = browser.new_context(
        base_url=live_server.url,
        locale=LANGUAGES[language],
        extra_http_headers={"Accept-Language": language},
        viewport={"width": width, "height": HEIGHT},
    )
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if session is not None:
        cookies.append({"name": session.key, "value": session.value})
    context.add_cookies([dict(cookie, url=live_server.url) for cookie in cookies])
    return client, context


def test_classic_scrollbars_take_layout_width(classic_browser, live_server, transactional_db):
    """The sweep below is only worth something if the scrollbar takes room, as on Windows."""
    _client, context = signed_in_context(classic_browser, live_server, None, "en", 1280)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.evaluate("() => { document.body.style.setProperty('min-height', '300vh', 'important'); }")
    size = page.evaluate(MEASURE)
    context.close()
    assert size["client"] < size["inner"], size


def test_no_page_scrolls_sideways_in_spanish(
    classic_browser, live_server, transactional_db, personas, request
):
    """Spanish runs longer than English. (English: the accessibility sweep measures every
    page it checks at every width, in the same browser.)"""
    from portal_site.demo import load_demo

    language = "es"

    load_demo()
    objects = request.getfixturevalue("matrix_objects")
    urls = list(_urls(objects))
    contexts = {}
    failures, visited = [], 0
    try:
        for url, roles in urls:
            seen = set()
            for role in roles:
                if role not in contexts:
                    contexts[role] = signed_in_context(
                        classic_browser, live_server, personas[role], language
                    )
                client, context = contexts[role]
                response = client.get(url)
                if response.status_code != 200:
                    continue
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                body = VOLATILE.sub("", response.content.decode())
                if body in seen:  # another role sees exactly this page
                    continue
                seen.add(body)
                page = context.pages[0] if context.pages else context.new_page()
                # Opened at the width the previous page was left at, then measured at each.
                answer = page.goto(url)
                assert answer.status == 200, f"{url} as {role}: {answer.status}"
                visited += 1
                for width, wide in sideways_scrolling(page, restore=False):
                    failures.append(f"{url} as {role} ({language}) at {width} px: {wide}")
    finally:
        for _client, context in contexts.values():
            context.close()
    assert visited > 20, visited
    assert not failures, "\n".join(failures)


PHONE_390 = 390


def test_compensation_list_reads_as_cards_on_a_phone(
    classic_browser, live_server, transactional_db
):
    """At 390 px each payment is a card: its status, amount, due date and the action to mark
    it paid all sit within the window, none reached by scrolling sideways."""
    from portal_site.demo import load_demo
    from toolkit_portal.models import User

    load_demo()
    coordinator = User.objects.get(email="coordinator@demo.local")
    _client, context = signed_in_context(classic_browser, live_server, coordinator, "en", 390)
    page = context.new_page()
    try:
        from django.urls import reverse

        page.goto(reverse("survivors:compensation-list") + "?status=unpaid")
        row = page.locator("main table.stack-on-phone tbody tr").first
        assert row.count(), "no unpaid compensation in the demo data"
        cells = {
            "status": row.locator("td[data-label='Status']"),
            "amount": row.locator("td[data-label='Amount']"),
            "due date": row.locator("td[data-label='Due']"),
            "action": row.get_by_role("link", name="Mark paid"),
        }
        width = page.evaluate("() => document.documentElement.clientWidth")
        for what, locator in cells.items():
            box = locator.bounding_box()
            assert box is not None, f"the {what} is not shown"
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (what, box, width)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_heat_map_keeps_its_row_labels_on_a_phone(classic_browser, live_server, transactional_db):
    """At 390 px the heat map's table scrolls in a named, focusable frame and the key areas
    (its first column) stay in view once it has scrolled sideways."""
    from django.urls import reverse

    from assessment.models import AssessmentRound
    from portal_site.demo import load_demo
    from tests.assessment.assessment_helpers import ensure_instrument
    from toolkit_portal.models import User

    ensure_instrument()
    load_demo()
    coordinator = User.objects.get(email="coordinator@demo.local")
    closed = AssessmentRound.objects.get(title="Spring survey")
    url = reverse(
        "partnerships:assessment-round", kwargs={"slug": closed.partnership.slug, "pk": closed.pk}
    )
    _client, context = signed_in_context(classic_browser, live_server, coordinator, "en", 390)
    page = context.new_page()
    try:
        page.goto(url)
        frame = page.get_by_role("region", name="Mean rating per key area and principle")
        assert frame.get_attribute("tabindex") == "0"
        # The chart's own frame is a named group (main's choice: no second landmark).
        chart = page.get_by_role("group", name="Heat map of mean ratings: key areas by principles")
        assert chart.get_attribute("tabindex") == "0"
        label = frame.locator("tbody th").first
        before = label.bounding_box()
        frame.focus()
        frame.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
        assert frame.evaluate("(el) => el.scrollLeft") > 0, "the table fits: nothing to scroll"
        after = label.bounding_box()
        box = frame.bounding_box()
        assert abs(after["x"] - before["x"]) < 1, (before, after)
        assert after["x"] >= box["x"] - 0.5
        # A withheld figure is named and marked apart from an unrated one, with a legend.
        legend = page.get_by_role("list", name="Heat map legend")
        assert "withheld" in legend.inner_text()
    finally:
        context.close()
