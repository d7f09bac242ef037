"""The core journeys with the keyboard alone, and fields that let password managers work.

After the first address is opened, every step is a key press or typed text (Tab, Shift+Tab,
Enter, Space, arrow keys): no clicks, no filling by locator. At every tab stop the focused
element must show a focus indicator (an outline at least 2 px wide, or a box shadow) whose
colour contrasts at least 3:1 with what surrounds it, and must not be hidden behind the
sticky quick-exit bar (WCAG 2.4.7, 2.4.11, 1.4.11).
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from survivors import services
from survivors.models import Availability, ParticipationRequest
from tests.browser.conftest import check_accessibility, label, totp_code
from tests.survivors.factories import (
    CompensationFactory,
    ConsultantProfileFactory,
    EngagementFactory,
)
from tests.toolkit_portal.factories import PASSWORD, ConsultantFactory

pytestmark = pytest.mark.browser

# What the focused element shows: the outline (or else the box shadow) colour, blended over
# the nearest opaque background behind it, and its contrast with that background.
FOCUS_INDICATOR = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {ok: false, reason: "nothing has focus"};
    const parse = (text) => {
        const m = /rgba?\\(([^)]+)\\)/.exec(text || "");
        if (!m) return null;
        const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const luminance = (c) => {
        const f = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    let background = [255, 255, 255, 1];
    for (let node = el.parentElement; node; node = node.parentElement) {
        const c = parse(getComputedStyle(node).backgroundColor);
        if (c && c[3] === 1) { background = c; break; }
    }
    const style = getComputedStyle(el);
    let kind = null, color = null;
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) {
        kind = "outline"; color = parse(style.outlineColor);
    } else if (style.boxShadow && style.boxShadow !== "none") {
        kind = "box-shadow"; color = parse(style.boxShadow);
    }
    const rect = el.getBoundingClientRect();
    const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    const obscured = !hit || !(el.contains(hit) || hit.contains(el) ||
        (el.labels && Array.from(el.labels).some((label) => label.contains(hit))));
    const what = `${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.name || "")
        .trim().slice(0, 40)}"`;
    if (!color) return {ok: false, reason: "no outline or box shadow", what,
                        html: el.outerHTML.slice(0, 200), outline: style.outline};
    const blended = [0, 1, 2].map((i) => color[i] * color[3] + background[i] * (1 - color[3]));
    const [a, b] = [luminance(blended), luminance(background)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    return {ok: ratio >= 3 && !obscured, kind, ratio: Math.round(ratio * 100) / 100,
            obscured, what};
}"""

IS_FOCUSED = "(el) => el === document.activeElement"


class Keyboard:
    """Moves through a page with Tab and Shift+Tab, checking the focus at every stop."""

    def __init__(self, page):
        # Bootstrap scrolls smoothly unless reduced motion is asked for; the check at each stop
        # needs the page where the scroll ends.
        page.emulate_media(reduced_motion="reduce")
        self.page = page
        self.stops = 0

    def focus_is_visible(self):
        focus = self.page.evaluate(FOCUS_INDICATOR)
        assert focus["ok"], f"No visible focus at {self.page.url}: {focus}"
        self.stops += 1
        return focus

    def tab_to(self, target, *, backwards=False, limit=150):
        """Press Tab (or Shift+Tab) until `target` has focus."""
        expect(target).to_have_count(1)
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            self.focus_is_visible()
            if target.evaluate(IS_FOCUSED):
                return
        raise AssertionError(f"{target} never got focus on {self.page.url}")

    def type_into(self, target, text):
        self.tab_to(target)
        self.page.keyboard.type(text)

    def activate(self, target, key="Enter"):
        self.tab_to(target)
        self.page.keyboard.press(key)

    def sign_in(self, email, *, with_code=True):
        page = self.page
        expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
        self.type_into(page.get_by_label("Email"), email)
        self.type_into(page.get_by_label("Password"), PASSWORD)
        page.keyboard.press("Enter")
        if with_code:
            expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
            self.type_into(page.get_by_label("Code"), totp_code())
            page.keyboard.press("Enter")


@pytest.fixture
def keyboard_consultant(partnership_x, coordinator):
    user = ConsultantFactory(email="keys@example.org", totp=True)
    profile = ConsultantProfileFactory(user=user, display_name="Robin", monthly_capacity=4)
    engagement = EngagementFactory(partnership=partnership_x, title="Listening session")
    request = services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )[0]
    compensation = CompensationFactory(
        request__consultant=profile,
        request__engagement__partnership=partnership_x,
        request__engagement__title="Policy review panel",
        amount=Decimal("120.00"),
        due_on=timezone.localdate() + timedelta(days=10),
    )
    return profile, request, compensation


def test_consultant_signs_in_with_a_code_sets_availability_accepts_and_sees_compensation(
    page, live_server, keyboard_consultant
):
    profile, request, compensation = keyboard_consultant
    keys = Keyboard(page)
    main_nav = page.get_by_role("navigation", name="Main")

    page.goto("/accounts/login/")
    keys.sign_in(profile.user.email)
    expect(page.get_by_role("heading", name="Waiting for your answer")).to_be_visible()

    # Availability, in the profile: the radio group moves with the arrow keys.
    keys.activate(main_nav.get_by_role("link", name="My profile"))
    expect(page.get_by_role("heading", name="My profile", level=1)).to_be_visible()
    keys.tab_to(page.get_by_label(str(Availability.OPEN.label)))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label(str(Availability.LIMITED.label))).to_be_checked()
    keys.focus_is_visible()
    keys.activate(page.get_by_role("button", name="Save my profile"))
    expect(page.get_by_text(re.compile(r"^Your profile is saved\."))).to_be_visible()
    profile.refresh_from_db()
    assert profile.availability == Availability.LIMITED

    # Accept the request: the consent check box with Space, the fields by typing.
    keys.activate(main_nav.get_by_role("link", name="Requests"))
    expect(page.get_by_role("heading", name="Participation requests")).to_be_visible()
    keys.activate(page.get_by_role("link", name="Listening session"))
    expect(page.get_by_role("heading", name="Listening session", level=1)).to_be_visible()
    keys.activate(page.get_by_label("My story may be shared"), key="Space")
    expect(page.get_by_label("My story may be shared")).to_be_checked()
    keys.type_into(page.get_by_label(label("Name to use")), "Robin")
    keys.activate(page.get_by_role("button", name="Accept this request"))
    expect(page.get_by_text("You accepted.")).to_be_visible()
    request.refresh_from_db()
    assert request.status == ParticipationRequest.Status.ACCEPTED
    assert request.consent_name_to_use == "Robin"

    # Compensation: the list, then the record, reached backwards from the footer.
    keys.activate(main_nav.get_by_role("link", name="Compensation"))
    expect(page.get_by_role("heading", name="Compensation", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Policy review panel"))).to_contain_text(
        "$120.00"
    )
    keys.activate(page.get_by_role("link", name="Policy review panel"))
    expect(page.get_by_text(re.compile(r"^Due by"))).to_be_visible()
    keys.tab_to(page.get_by_role("link", name="Compensation", exact=True).first, backwards=True)
    check_accessibility(page)
    assert keys.stops > 20


def test_coordinator_signs_in_with_a_code_and_sends_a_request(
    page, live_server, coordinator, partnership_x
):
    profile = ConsultantProfileFactory(display_name="Maya R.", roles=["training"])
    engagement = EngagementFactory(partnership=partnership_x, title="Workshop for officers")
    keys = Keyboard(page)

    page.goto("/accounts/login/")
    keys.sign_in(coordinator.email)
    expect(page.get_by_role("heading", name="Your partnerships")).to_be_visible()
    keys.activate(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Consultants")
    )
    expect(page.get_by_role("heading", name="Survivor consultants")).to_be_visible()
    keys.activate(page.get_by_role("link", name="Maya R."))
    expect(page.get_by_role("heading", name="Maya R.", level=1)).to_be_visible()

    # A closed <select> changes its choice with the arrow keys.
    engagement_field = page.get_by_label("Engagement")
    keys.tab_to(engagement_field)
    for _ in range(engagement_field.locator("option").count()):
        if engagement_field.input_value() == str(engagement.pk):
            break
        page.keyboard.press("ArrowDown")
    expect(engagement_field).to_have_value(str(engagement.pk))
    keys.activate(page.get_by_role("button", name="Send request"))
    expect(page.get_by_text("Participation request sent to Maya R.")).to_be_visible()
    assert ParticipationRequest.objects.filter(engagement=engagement, consultant=profile).exists()
    assert keys.stops > 10


# Password managers and pasting ------------------------------------------------------------------

# Every password and code field the accounts pages show, with the autocomplete value that
# lets a browser or password manager fill it (WCAG 1.3.5, 3.3.8).
AUTOCOMPLETE = {
    "/accounts/login/": {"login": "email", "password": "current-password"},
    "/accounts/signup/": {
        "email": "email",
        "password1": "new-password",
        "password2": "new-password",
    },
    "/accounts/password/reset/": {"email": "email"},
}
AUTOCOMPLETE_SIGNED_IN = {
    "/accounts/password/change/": {
        "oldpassword": "current-password",
        "password1": "new-password",
        "password2": "new-password",
    },
    "/accounts/reauthenticate/": {"password": "current-password"},
}


def _paste_into(page, field, text):
    """Paste `text` with Ctrl+V from the system clipboard, as a person would."""
    page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    field.focus()
    page.keyboard.press("Control+V")


def _check_fields(page, fields):
    for name, autocomplete in fields.items():
        field = page.locator(f"main [name={name}]")
        expect(field).to_have_attribute("autocomplete", autocomplete)
        assert field.get_attribute("onpaste") is None
        _paste_into(page, field, "pasted-Value-42")
        expect(field).to_have_value("pasted-Value-42")


@pytest.fixture
def clipboard_page(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    return page


def test_password_and_code_fields_accept_paste_and_autofill(clipboard_page, consultant):
    page = clipboard_page
    for address, fields in AUTOCOMPLETE.items():
        page.goto(address)
        _check_fields(page, fields)
    # The two-factor step: a one-time code, pasted from an authenticator app.
    consultant_with_code = ConsultantFactory(email="code@example.org", totp=True)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(consultant_with_code.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    code = page.get_by_label("Code")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")  # a number pad on phones
    _paste_into(page, code, totp_code())
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/2fa/"))
    for address, fields in AUTOCOMPLETE_SIGNED_IN.items():
        page.goto(address)
        _check_fields(page, fields)
