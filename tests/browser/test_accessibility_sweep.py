"""Every page, as the roles that may see it, checked with axe-core (WCAG 2.2 A and AA, and
axe's best practices: every element inside a landmark, landmark names unique...).

The pages come from the access matrix (`tests/test_access_matrix.py`): every URL name that
answers a GET with 200 to some role is visited, so a new address is swept as soon as it has
its matrix entry (and the matrix fails without one). Each page is checked:

- in a filled state (the demo data plus the matrix's own records: requests, compensation,
  goals, boards...) at a phone width of 320 px, and in an empty state (fresh personas with
  nothing yet, then the pages of the matrix's bare records: a board without members, a goal
  without notes) at a desktop width, so both layouts meet the rules (the journeys in this
  folder check desktop pages with data too);
- in its error state: each POST form with a required field is sent with its fields emptied
  (the browser's own checks switched off), and the page that answers is checked too;
- for sideways scrolling (WCAG 1.4.10, issue "screens that fit"): in a Chromium with classic
  scrollbars that take layout width (as on Windows), no page is wider than its window at the
  narrow end of each of Bootstrap's layouts, 320 to 1400 px (`WIDTHS`), so at no width up to
  1920 px. This is the English half of the width sweep; `test_screens_that_fit.py` does the
  Spanish half.

axe's `target-size` rule (WCAG 2.5.8, 24 x 24 CSS px) is part of the wcag22aa tag and is
asserted to have run. One browser and one signed-in context per role serve the whole sweep:
each context carries a session made on the server, as `tests/auth.py` signs in the test
client. Each role's view of a page is rendered once in the test client first; the browser
visits every distinct rendering of the page's main content, and axe checks a rendering it
has already passed in this run only once (the width is checked every time).
"""

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.auth import mfa_login
from tests.browser.conftest import (
    STEP_TIMEOUT_MS,
    axe_violations,
    describe_violations,
    fingerprint,
    page_fingerprints,
    sideways_scrolling,
    too_wide,
)
from tests.test_access_matrix import MATRIX, matrix_objects  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

# One persona of each kind: the "other" consultant and coordinator see the same pages.
ROLES = ["anonymous", "consultant", "pending_coordinator", "coordinator", "admin"]
DESKTOP = {"width": 1280, "height": 800}
# With SCREENSHOT_DIR set, every page is also saved there at 320 px, for a person to look at.
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR")
PHONE = {"width": 320, "height": 640}

MAIN = re.compile(r"<main\b.*?</main>", re.S)

# Empties the form's fields (text, numbers, dates, lists and text areas), turns off the
# browser's own checks so the server answers, and sends the form with its first submit button.
SEND_EMPTIED_FORM = """(index) => {
    const form = document.querySelectorAll("main form[method=post]")[index];
    form.noValidate = true;
    for (const field of form.elements) {
        if (field.type === "hidden" || field.disabled || field.readOnly) continue;
        if (field.tagName === "TEXTAREA" || field.tagName === "INPUT" && !["checkbox",
                "radio", "submit", "button", "file", "image", "reset"].includes(field.type)) {
            field.value = "";
        } else if (field.tagName === "SELECT" && !field.multiple) {
            field.selectedIndex = field.options.length && field.options[0].value === "" ? 0 : -1;
        }
    }
    const submit = form.querySelector("button:not([type=button]), input[type=submit]");
    form.requestSubmit(submit || undefined);
}"""

# How a form's errors show: crispy's field errors, Django's error lists, an error alert.
ERROR_MARKERS = "main .is-invalid, main .invalid-feedback, main .errorlist, main .alert-danger"

# The POST forms of the main content that have a required field: their error state.
# The elements whose box or content reaches past the right edge of the window, innermost.
WIDEST = """() => {
    const reach = (el) => Math.max(el.getBoundingClientRect().right,
        el.getBoundingClientRect().left + el.scrollWidth);
    const over = (el) => reach(el) > window.innerWidth + 0.5;
    return Array.from(document.querySelectorAll("body *"))
        .filter((el) => over(el) && !Array.from(el.children).some(over))
        .slice(0, 3).map((el) => el.outerHTML.slice(0, 160));
}"""

FORMS_WITH_REQUIRED_FIELDS = """() => Array.from(
    document.querySelectorAll("main form[method=post]"),
    (form, index) => form.querySelector("[required]") ? index : -1,
).filter((index) => index >= 0)"""


@dataclass
class SweepReport:
    pages: list = field(default_factory=list)  # (state, url, role)
    error_states: list = field(default_factory=list)  # (state, url, role, form)
    violations: list = field(default_factory=list)  # text of each failed check
    too_wide: list = field(default_factory=list)  # (url, role, window width, what is wide)
    not_html: set = field(default_factory=set)  # feeds, exports, health checks
    axe_runs: int = 0
    errors_shown: int = 0  # forms sent empty that answered with their errors
    urls: list = field(default_factory=list)  # every url the sweep was given
    refused: dict = field(default_factory=lambda: defaultdict(dict))  # url -> {role: status}
    rules_run: set = field(default_factory=set)

    def failures(self):
        lines = list(self.violations)
        lines += [
            f"{url} as {role} scrolls sideways at {width} px: {wide}"
            for url, role, width, wide in self.too_wide
        ]
        return "\n\n".join(lines)


def swept_names():
    """Every URL name some role may GET (status 200), from the access matrix (whose
    `test_every_url_has_an_entry` fails for an address without an entry)."""
    return sorted(name for name in MATRIX if 200 in _get_answers(name)[1].values())


def _get_answers(name):
    """(kwargs, {role: expected answer to a GET}) of the matrix entry."""
    entry = MATRIX[name]
    return entry.kwargs, entry.answers["GET"]


# The main content of every page axe found clean in this run, whatever its state or width: a
# rendering already checked is not checked again (its width still is).
CHECKED = set()


# Every whole page (navigation included) measured at every width in this run.
MEASURED = set()


def _main_fingerprint(html):
    match = MAIN.search(html)
    return fingerprint(match.group(0) if match else html)


class Sweep:
    def __init__(self, browser, live_server, personas, viewport):
        self.browser = browser
        self.live_server = live_server
        self.personas = personas
        self.viewport = viewport
        self.clients = {}
        self.pages = {}
        self.report = SweepReport()

    def client(self, role):
        if role not in self.clients:
            client = Client()
            if self.personas[role] is not None:
                mfa_login(client, self.personas[role])
            self.clients[role] = client
        return self.clients[role]

    def page(self, role):
        """The role's browser tab, signed in with the same server-side session as its client."""
        if role not in self.pages:
            context = self.browser.new_context(
                base_url=self.live_server.url, locale="en-US", viewport=self.viewport
            )
            context.set_default_timeout(STEP_TIMEOUT_MS)
            context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
            cookie = self.client(role).cookies.get(settings.SESSION_COOKIE_NAME)
            if cookie is not None:
                context.add_cookies(
                    [{"name": cookie.key, "value": cookie.value, "url": self.live_server.url}]
                )
            self.pages[role] = context.new_page()
        return self.pages[role]

    def close(self):
        for page in self.pages.values():
            page.context.close()

    def visits(self, url, roles):
        """The roles to visit `url` as: one per distinct rendering of its main content."""
        seen = set()
        for role in roles:
            response = self.client(role).get(url)
            if response.status_code != 200:
                self.report.refused[url][role] = response.status_code
                continue
            if "text/html" not in response.get("Content-Type", ""):
                self.report.not_html.add(url)
                continue
            main = _main_fingerprint(response.content.decode())
            if main not in seen:
                seen.add(main)
                yield role

    def check(self, state, url, role, what):
        page = self.page(role)
        rendering, main = page_fingerprints(page)
        if main not in CHECKED:
            found, rules = axe_violations(page)
            self.report.rules_run |= rules
            self.report.axe_runs += 1
            if found:
                self.report.violations.append(
                    f"[{state}, {what}, as {role}] " + describe_violations(page.url, found)
                )
            else:
                CHECKED.add(main)
        if SCREENSHOT_DIR:
            name = re.sub(r"[^\w]+", "-", f"{state}-{role}-{url}-{what}").strip("-")
            page.screenshot(path=f"{SCREENSHOT_DIR}/{name}.png", full_page=True)
        # A page at every layout's width, once per rendering; a form's error state at the
        # sweep's own width (the errors add lines, not width).
        if what != "page":
            wide = too_wide(page)
            found = [(page.viewport_size["width"], wide)] if wide else []
        elif rendering in MEASURED:
            found = []
        else:
            MEASURED.add(rendering)
            found = sideways_scrolling(page)
        for width, wide in found:
            self.report.too_wide.append((f"{url} ({state}, {what})", role, width, wide))

    def sweep(self, state, urls, error_states=True):
        """Visit each url as each role in `urls` (url -> roles expected to get 200)."""
        for url, roles in urls:
            self.report.urls.append(url)
            for role in self.visits(url, roles):
                page = self.page(role)
                response = page.goto(url)
                assert response.status == 200, f"{url} as {role}: {response.status}"
                self.report.pages.append((state, url, role))
                self.check(state, url, role, "page")
                if error_states:
                    self.send_forms_empty(state, url, role)

    def send_forms_empty(self, state, url, role):
        page = self.page(role)
        forms = page.evaluate(FORMS_WITH_REQUIRED_FIELDS)
        for number, index in enumerate(forms):
            if number:
                page.goto(url)
            with page.expect_navigation():
                page.evaluate(SEND_EMPTIED_FORM, index)
            page.wait_for_load_state("load")
            self.report.error_states.append((state, url, role, index))
            self.report.errors_shown += page.locator(ERROR_MARKERS).count() > 0
            self.check(state, url, role, f"form {index + 1} sent empty")


def _urls(objects, records_only=False):
    """(url, the roles that get 200) for every swept name whose kwargs can be built (with
    `records_only`, only the pages of one record). Each url is built just before its visit,
    as the matrix does: a builder may change records (e.g. close the previous assessment
    round and open a new one)."""
    for name in swept_names():
        kwargs, expected = _get_answers(name)
        if callable(kwargs):
            if objects is None:
                continue
            kwargs = kwargs(objects)
        elif records_only:
            continue
        yield reverse(name, kwargs=kwargs), [role for role in ROLES if expected[role] == 200]


@pytest.fixture
def sweep_factory(classic_browser, live_server, personas):
    sweeps = []

    def make(viewport):
        sweeps.append(Sweep(classic_browser, live_server, personas, viewport))
        return sweeps[-1]

    yield make
    for sweep in sweeps:
        sweep.close()


def _assert_clean(report):
    assert report.pages, "No page was visited"
    if report.axe_runs:
        assert "target-size" in report.rules_run, sorted(report.rules_run)
    assert not report.violations and not report.too_wide, report.failures()


def test_every_page_filled_and_in_its_error_state(transactional_db, sweep_factory, request):
    from portal_site.demo import load_demo

    load_demo()
    objects = request.getfixturevalue("matrix_objects")
    sweep = sweep_factory(PHONE)
    sweep.sweep("filled", _urls(objects))
    _assert_clean(sweep.report)
    # Every swept name was seen by the browser as at least one role.
    visited = {url for _state, url, _role in sweep.report.pages} | sweep.report.not_html
    missed = {url: sweep.report.refused[url] for url in sorted(set(sweep.report.urls) - visited)}
    assert not missed, f"Not visited (the answers instead of 200): {missed}"
    assert sweep.report.errors_shown, f"No form showed errors: {sweep.report.error_states}"


def test_every_page_empty_at_desktop_width(transactional_db, sweep_factory, request):
    sweep = sweep_factory(DESKTOP)
    request.getfixturevalue("partnership_x")
    sweep.sweep("empty", _urls(None), error_states=False)
    # The pages of one record, for the matrix's bare records: a board without members, a
    # goal without progress notes, an engagement with one request, and so on.
    objects = request.getfixturevalue("matrix_objects")
    sweep.sweep("bare record", _urls(objects, records_only=True), error_states=False)
    _assert_clean(sweep.report)
    assert any(state == "bare record" for state, _url, _role in sweep.report.pages)
