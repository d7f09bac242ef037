"""Every page a person may open is linked from somewhere they can reach.

For each role, the test client starts at `/` and follows every same-site link (GET only,
never a form; not the sign-out page, the language switch or the Django admin's own pages),
and what it reached is compared with every page the access matrix lets that role GET
(`tests/test_access_matrix.py`, built from its records, `matrix_world`). A kind of page
(a URL name) of which no address was reached fails the test, listed by name and the
matrix's address. Names, not addresses, are compared: the matrix's builders open a new
assessment round for some pages and close the one before, so its addresses of older rounds
are rightly linked from nowhere.

Each role crawls each state of the records once (`Crawls`): the crawl with a round open
serves both tests.

Some pages are reached from outside the portal by design: an email's link, a calendar app's
feed, a health check. They are listed in FROM_OUTSIDE with the reason.
"""

import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from tests.assessment.assessment_matrix import open_round
from tests.auth import mfa_login
from tests.test_access_matrix import MATRIX, matrix_world  # noqa: F401 (a fixture)

ROLES = ["anonymous", "consultant", "pending_coordinator", "coordinator", "admin"]

# Reached from outside the portal, not by a link on its pages.
FROM_OUTSIDE = {
    "healthz": "for the load balancer and monitoring",
    "readyz": "for the load balancer and monitoring",
    "metrics": "for the monitoring system",
    "calendar-feed": "a calendar app subscribes to it; the page that shows it gives its address",
    "partnerships:invitation": "the link in an invitation email",
    "account_confirm_email": "the link in a verification email",
    "account_reset_password_from_key": "the link in a password reset email",
    "account_reset_password_from_key_done": "where the reset from an email's link ends",
    "account_email_verification_sent": "shown after signing up, never linked",
    "account_inactive": "shown when an inactive account signs in",
    "account_reset_password_done": "shown after asking for a reset",
    "account_confirm_login_code": "a step of signing in by code",
    "account_confirm_reauthentication_code": "a step of re-authenticating by code",
    "account_request_reauthentication_code": "a step of re-authenticating by code",
    "account_reauthenticate": "asked for before a sensitive change, never linked",
    "mfa_reauthenticate": "asked for before a sensitive change, never linked",
    "account_set_password": "for accounts without a password; ours always have one",
    "account_logout": "the sign-out confirmation (the crawl does not sign out)",
}
NOT_FOLLOWED = re.compile(r"^/(accounts/logout/|i18n/|admin/)")
HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"'#]*)""", re.I)
MAX_PAGES = 3000


def crawl(client, no_way_back=None):
    """Every path reachable from `/` by following links, with the query string dropped (a
    filter or a page number leads to the same address). The HTML pages without a way back
    (`has_way_back`) are added to `no_way_back`, if given."""
    seen, todo = {"/"}, deque(["/"])
    while todo and len(seen) < MAX_PAGES:
        path = todo.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if no_way_back is not None and not has_way_back(response.content.decode()):
            no_way_back.add(path)
        for href in HREF.findall(response.content.decode()):
            parts = urlsplit(urljoin(f"http://testserver{path}", unescape(href)))
            if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
                continue
            if parts.path not in seen and not NOT_FOLLOWED.match(parts.path):
                seen.add(parts.path)
                todo.append(parts.path)
    return seen


# A way back: the breadcrumb (templates/_breadcrumbs.html), or a section's own navigation,
# whose links lead up to the section (the account pages, a partnership's management pages).
WAY_BACK = {"Breadcrumb", "Your account", "Manage the partnership"}
NAV_LABEL = re.compile(r"""<nav\b[^>]*?\baria-label\s*=\s*["']([^"']*)""", re.I)
# Top-level pages: home and the sections' indexes, reached from the main navigation.
TOP_LEVEL = {
    "home",
    "account_login",
    "account_signup",
    "inbox",
    "partnerships:list",
    "trainings:list",
    "survivors:my-profile",
    "survivors:my-requests",
    "survivors:my-compensation",
    "survivors:directory",
    "survivors:engagement-list",
    "survivors:compensation-list",
    "statereports:report",
}


def has_way_back(html):
    return any(unescape(label) in WAY_BACK for label in NAV_LABEL.findall(html))


def _name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def expected_pages(objects):
    """{role: {name: path}} of every page the matrix lets each role GET with a 200. Each
    address is built once: some builders make the record they name."""
    pages = {role: {} for role in ROLES}
    for name, entry in MATRIX.items():
        roles = [role for role in ROLES if entry.answers["GET"].get(role) == 200]
        if name in FROM_OUTSIDE or not roles:
            continue
        kwargs = entry.kwargs(objects) if callable(entry.kwargs) else entry.kwargs
        for role in roles:
            pages[role][name] = reverse(name, kwargs=kwargs)
    return pages


def crawl_as(personas, role, no_way_back=None):
    client = Client()
    client.raise_request_exception = False
    if personas[role] is not None:
        mfa_login(client, personas[role])
    return {_name(path) for path in crawl(client, no_way_back)}


# The two states of the records each role's crawl meets: as the matrix's builders leave them
# (the last assessment round closed, so "open a new round" is offered), then with a round
# open, rated by consultant A and X's coordinator (answering, raters and closing are offered
# only then).
AS_LEFT, ROUND_OPEN = "as the matrix leaves them", "with a round open"


class Crawls:
    """Each role's crawl of the module's records (`matrix_world`) in each state, made once
    for both tests: a state is crawled when a test first needs it, in a savepoint undone
    after it."""

    def __init__(self, world):
        self.world = world
        self.states = {}

    def of(self, state):
        """(the matrix's pages {role: {name: path}}, the names each role reached {role: set},
        the HTML pages without a way back)."""
        if state not in self.states:
            with override_settings(MEDIA_ROOT=self.world.media_root), transaction.atomic():
                expected = expected_pages(self.world.objects)
                if state == ROUND_OPEN:
                    open_round(self.world.objects)
                no_way_back = set()
                reached = {role: crawl_as(self.world.personas, role, no_way_back) for role in ROLES}
                transaction.set_rollback(True)
            self.states[state] = expected, reached, no_way_back
        return self.states[state]


@pytest.fixture(scope="module")
def crawls(matrix_world):  # noqa: F811
    return Crawls(matrix_world)


def test_every_page_is_linked_for_every_role(crawls, db):
    expected, reached_as_left, _no_way_back = crawls.of(AS_LEFT)
    _expected, reached_with_round, _no_way_back = crawls.of(ROUND_OPEN)
    unreachable = {}
    for role in ROLES:
        reached = reached_as_left[role] | reached_with_round[role]
        missing = {n: path for n, path in expected[role].items() if n not in reached}
        if missing:
            unreachable[role] = missing
    assert not unreachable, "Pages reachable only by their address:\n" + "\n".join(
        f"{role}: {name} {path}"
        for role, missing in unreachable.items()
        for name, path in sorted(missing.items())
    )


def test_every_page_has_a_way_back(crawls, db):
    """Every HTML page a role reaches, other than a top-level one, has a breadcrumb or its
    section's navigation."""
    _expected, _reached, no_way_back = crawls.of(ROUND_OPEN)
    stranded = {path: _name(path) for path in no_way_back if _name(path) not in TOP_LEVEL}
    assert not stranded, "Pages without a breadcrumb:\n" + "\n".join(
        sorted(f"{name} {path}" for path, name in stranded.items())
    )
