"""Headless Chromium for the end-to-end tests, driven by Playwright's sync API.

Playwright cannot download its own browsers here: the tests use Debian's Chromium at
/usr/bin/chromium when it exists (see STACK-NOTES.md, "Browser tests").
"""

import base64
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import axe_playwright_python
import pyotp
import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import expect, sync_playwright

from tests.browser import chromium
from tests.toolkit_portal.factories import PASSWORD, TOTP_SECRET

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", *chromium.FLAGS]
# Chromium's overlay scrollbars take no layout width; this flag gives classic ones (about 15 px
# wide, as on Windows and most Linux desktops), so a page sized to 100vw shows as too wide here.
CLASSIC_SCROLLBARS = ["--disable-features=OverlayScrollbar"]
# The narrowest width of each of Bootstrap's layouts (xs, sm, md, lg, xl, xxl). Within one layout
# a page only gains room as the window widens, so a page that fits at the narrow end of each
# layout fits every width from 320 px up (1920 px included).
WIDTHS = [320, 576, 768, 992, 1200, 1400]
# The elements whose box or content reaches past the layout viewport, innermost first.
WIDEST = """() => {
    const edge = document.documentElement.clientWidth;
    const reach = (el) => Math.max(el.getBoundingClientRect().right,
        el.getBoundingClientRect().left + el.scrollWidth);
    const over = (el) => reach(el) > edge + 0.5;
    return Array.from(document.querySelectorAll("body *"))
        .filter((el) => over(el) && !Array.from(el.children).some(over))
        .slice(0, 3).map((el) => `${Math.round(reach(el))}px ${el.outerHTML.slice(0, 160)}`);
}"""
MEASURE = """() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    inner: window.innerWidth,
})"""
AXE_SCRIPT = Path(axe_playwright_python.__file__).parent / "axe.min.js"
# axe is loaded into each page as a script of the live server's own (the site's CSP allows
# scripts from 'self'): Chromium keeps the compiled script from one page to the next, where
# evaluating its source through DevTools compiled all 500 kB again on every page.
AXE_URL = "/static/axe-core/axe.min.js"
LOAD_AXE = """(url) => new Promise((loaded, failed) => {
    const script = document.createElement("script");
    script.src = url;
    // axe stays defined; the element goes, so the document is the one the page made.
    script.onload = () => { script.remove(); loaded(); };
    script.onerror = () => failed(new Error(`axe could not be loaded from ${url}`));
    document.head.append(script);
})"""
# WCAG 2.0/2.1/2.2 A and AA, and axe's best practices (landmarks, unique landmark names,
# headings...): a page that passes all of them is the same for every assistive technology.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Each step of a journey waits at most this long, so a test stays well under 30 s.
STEP_TIMEOUT_MS = 10_000
# The screens people use: a phone in the hand, a laptop at the desk.
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
# "Password" alone would also match "Password (again)". A regular expression meets the
# label's raw text, surrounding whitespace and the required-field asterisk included.
PASSWORD_LABEL = re.compile(r"^\s*Password\*?\s*$")
PASSWORD_AGAIN_LABEL = re.compile(r"^\s*Password \(again\)\*?\s*$")

# Reports every Content-Security-Policy violation to Python. Playwright adds init scripts
# and exposed functions through the DevTools protocol, so the page's CSP does not block
# them; listening at the window catches violations of the document and its elements.
CSP_LISTENER = """
window.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation({
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    page: document.location.pathname,
  });
}, true);
"""


@dataclass
class PageRecorder:
    """What the browser reported while a test ran."""

    console: list = field(default_factory=list)
    csp_violations: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)

    def console_csp_messages(self):
        return [m for m in self.console if "Content Security Policy" in m["text"]]


@pytest.fixture(scope="session", autouse=True)
def axe_served(tmp_path_factory):
    """The live server's static files include axe (AXE_URL), from a folder of its own."""
    folder = tmp_path_factory.mktemp("axe-core")
    shutil.copy(AXE_SCRIPT, folder / AXE_SCRIPT.name)
    with override_settings(STATICFILES_DIRS=[*settings.STATICFILES_DIRS, ("axe-core", folder)]):
        yield


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        # A bare machine skips only these tests, in one line; CI installs Chromium, so there
        # its absence is a failure, never a silent skip.
        reason = f"the browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def classic_browser(browser):
    """A second Chromium of the suite's own Playwright (a process may run only one): the same
    flags, but with classic scrollbars that take layout width."""
    classic = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS + CLASSIC_SCROLLBARS,
        # Playwright hides scrollbars in headless mode unless told not to.
        ignore_default_args=["--hide-scrollbars"],
    )
    yield classic
    classic.close()


def too_wide(page):
    """None if the page fits its window, else what sticks out."""
    size = page.evaluate(MEASURE)
    if size["scroll"] <= size["client"] and size["client"] <= size["inner"]:
        return None
    return f"scrollWidth {size['scroll']} > {size['client']}: {page.evaluate(WIDEST)}"


def sideways_scrolling(page, restore=True):
    """[(width, what sticks out)] at each of WIDTHS where the page scrolls sideways, starting
    at the window's own width when it is one of them. The window is left at the size it had,
    or, with `restore=False` (the next page may open at any of WIDTHS), at the last width."""
    viewport = page.viewport_size
    current = viewport["width"]
    found = []
    for width in sorted(WIDTHS, key=lambda width: width != current):
        if width != page.viewport_size["width"]:
            page.set_viewport_size({"width": width, "height": viewport["height"]})
        wide = too_wide(page)
        if wide:
            found.append((width, wide))
    if restore and page.viewport_size != viewport:
        page.set_viewport_size(viewport)
    return found


@pytest.fixture
def recorder():
    return PageRecorder()


@pytest.fixture
def page(browser, live_server, transactional_db, recorder):
    """A fresh browser context per test (no cookies shared), aimed at the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
    context.expose_function(
        "__reportCspViolation", lambda report: recorder.csp_violations.append(report)
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on(
        "console",
        lambda message: recorder.console.append(
            {"type": message.type, "text": message.text, "url": page.url}
        ),
    )
    page.on("pageerror", lambda error: recorder.page_errors.append(str(error)))
    yield page
    context.close()


def _describe_violations(url, violations):
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def axe_violations(page):
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules, and best practices) on the page now.

    Returns the violations and the ids of every rule that ran (passed, failed, could not
    decide or found nothing to check), so a caller can tell that a rule was not skipped.
    axe is evaluated rather than added as a <script> tag: the site's CSP refuses scripts
    without its nonce, and evaluating through DevTools is not subject to it.
    """
    page.wait_for_load_state("load")
    # From the top of the page, as it opens: a page opened at an anchor (`#expenses`) has the
    # navigation scrolled under the sticky quick-exit bar, which axe reads as a target too small.
    page.evaluate("() => window.scrollTo(0, 0)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(LOAD_AXE, AXE_URL)
    results = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            const ran = [results.passes, results.violations, results.incomplete,
                         results.inapplicable].flat().map((rule) => rule.id);
            return {ran, violations: results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target, html: n.html, failureSummary: n.failureSummary,
                })),
            }))};
        }""",
        AXE_TAGS,
    )
    return results["violations"], set(results["ran"])


describe_violations = _describe_violations


# What changes from one rendering of a page to the next without changing the page: the CSRF
# token, the CSP nonce, and the ids of the records it shows.
VOLATILE = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"|'
    r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"
)


def fingerprint(html):
    return hashlib.sha256(VOLATILE.sub("", html).encode()).digest()


# The same fingerprint taken in the page, of the whole document and of its <main>: only two
# digests cross DevTools instead of the document (its serialization and transfer cost more
# than the hashing). A page served over http://localhost is a secure context, which
# `crypto.subtle` needs.
PAGE_FINGERPRINTS = """async (volatile) => {
    const pattern = new RegExp(volatile, "g");
    const digest = async (html) => {
        const bytes = new TextEncoder().encode(html.replace(pattern, ""));
        const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        return Array.from(hash, (byte) => byte.toString(16).padStart(2, "0")).join("");
    };
    const main = document.querySelector("main");
    return [await digest(document.documentElement.outerHTML),
            main ? await digest(main.outerHTML) : null];
}"""


def page_fingerprints(page):
    """(whole document, its main content) of the page as it is now, each a digest that leaves
    out what changes from one rendering to the next (`VOLATILE`)."""
    whole, main = page.evaluate(PAGE_FINGERPRINTS, VOLATILE.pattern)
    return whole, main or whole


# Every rendering axe found clean in this process, with the window it was checked in: journeys
# meet the same pages (the sign-in page, the second-factor step...) in the same state, and
# axe gives the same answer on the same document at the same size.
CLEAN = set()


def check_accessibility(page):
    """Run axe-core (WCAG 2.x A and AA rules, and best practices); fail on any violation.
    A rendering already found clean at this window size in this run is not checked again."""
    page.wait_for_load_state("load")
    size = page.viewport_size
    rendering = (size["width"], size["height"], page_fingerprints(page)[0])
    if rendering in CLEAN:
        return
    violations, _rules = axe_violations(page)
    assert not violations, _describe_violations(page.url, violations)
    CLEAN.add(rendering)


class _ShortSecretTOTP(pyotp.TOTP):
    """pyotp.TOTP that accepts a secret shorter than 112 bits.

    pyotp 2.12 refuses secrets under 112 bits (NIST SP 800-63B-4). The personas' shared
    TOTP_SECRET is the 80-bit textbook example, which allauth still accepts; the codes are
    computed the standard way (RFC 6238), only the length check is skipped.
    """

    def byte_secret(self):
        secret = self.secret + "=" * (-len(self.secret) % 8)
        return base64.b32decode(secret, casefold=True)


def totp_code(secret=TOTP_SECRET):
    """The current six-digit code for the secret, as an authenticator app shows it.

    allauth accepts only the current 30-second step (MFA_TOTP_TOLERANCE is 0). Like a
    person who sees the code about to change, wait for the next one when fewer than
    three seconds are left, so a step boundary cannot fall between typing and checking.
    """
    try:
        totp = pyotp.TOTP(secret)
    except ValueError:
        totp = _ShortSecretTOTP(secret)
    left = totp.interval - time.time() % totp.interval
    if left < 3:
        time.sleep(left + 0.1)
    return totp.now()


def sign_in_with_password(page, email, password=PASSWORD):
    """Fill allauth's sign-in form as a person would; the page is already open."""
    expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def enter_totp_code(page, secret=TOTP_SECRET):
    """Answer allauth's two-factor step with a fresh code."""
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()


def format_csp_report(violations):
    return json.dumps(violations, indent=2, sort_keys=True)


def is_script_violation(report):
    """script-src, script-src-elem (a <script>) or script-src-attr (an onclick="...")."""
    return report["directive"].startswith("script-src")


def names_script_src(console_message):
    # Chromium 156 words it "Executing inline script violates the following Content Security
    # Policy directive 'script-src 'self''..." (older versions began "Refused to ...").
    return re.search(r"directive '?script-src", console_message["text"]) is not None


def assert_no_script_blocked(recorder):
    """No script was refused by the CSP, nor did any script throw, on any page so far."""
    violations = [r for r in recorder.csp_violations if is_script_violation(r)]
    assert not violations, format_csp_report(violations)
    messages = [m for m in recorder.console_csp_messages() if names_script_src(m)]
    assert not messages, format_csp_report(messages)
    assert not recorder.page_errors, recorder.page_errors


def label(text):
    """A form label as crispy renders it: surrounding space, an asterisk when required."""
    return re.compile(rf"^\s*{re.escape(text)}\*?\s*$")


def verification_link(address, base_url=None, *, subject_contains=None):
    """The address-confirmation link in the one email sent to `address` (on `base_url`, the
    live server's, when given)."""
    from django.core import mail

    messages = [message for message in mail.outbox if address in message.to]
    assert len(messages) == 1, [(m.to, m.subject) for m in mail.outbox]
    if subject_contains:
        assert subject_contains in messages[0].subject
    match = re.search(r"https?://\S+/accounts/confirm-email/[^/\s]+/", messages[0].body)
    assert match, messages[0].body
    if base_url:
        return re.sub(r"^https?://[^/]+", base_url, match.group(0))
    return match.group(0)


def pause_without_a_date_is_refused(page, email, words, check=check_accessibility):
    """On her new profile, "Paused" without the date the pause ends: the field says so and
    nothing is saved. `words`: the page's words for (paused, the button, the error)."""
    from survivors.models import ConsultantProfile

    paused, button, error = words
    page.get_by_label(paused, exact=True).check()
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text(error)).to_be_visible()
    check(page)
    assert not ConsultantProfile.objects.filter(user__email=email).exists()


CONSULTANT = re.compile(r"^A survivor consultant")
COORDINATOR = re.compile(r"^A task force partnership coordinator")


def sign_up(page, email, role):
    """On the sign-up page: the form filled for `role` (CONSULTANT or COORDINATOR) and sent."""
    expect(page.get_by_role("heading", name="Sign Up")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Email").fill(email)
    page.get_by_role("radio", name=role).check()
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label(PASSWORD_AGAIN_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()


def accept_with_consent(page, words, off_limits, name, check=check_accessibility):
    """On her request's page: she accepts, her story may be shared, with the topics off
    limits and the name to use. `words`: the page's words for (the story's box, off limits,
    name to use, the button, the confirmation, the consent's heading)."""
    story, off_limits_label, name_label, button, accepted, heading = words
    page.get_by_label(story).check()
    page.get_by_label(label(off_limits_label)).fill(off_limits)
    page.get_by_label(label(name_label)).fill(name)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text(accepted)).to_be_visible()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    check(page)
