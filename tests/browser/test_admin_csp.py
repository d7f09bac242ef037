"""The Django admin works under the portal's strict Content-Security-Policy.

The admin persona signs in through /admin/ (allauth's sign-in and two-factor step), searches
the Users changelist, opens a user, and adds a Partnership whose slug the admin's own
JavaScript fills in from the name: that only happens if the CSP lets the admin's scripts run.
"""

import re

import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.browser.conftest import (
    assert_no_script_blocked,
    enter_totp_code,
    format_csp_report,
    is_script_violation,
    names_script_src,
    sign_in_with_password,
)

pytestmark = pytest.mark.browser


def test_csp_blocks_inline_script_and_the_recorder_sees_it(page, recorder):
    """The harness itself: an injected inline script is refused and reported both ways.

    Without this, "no violation seen" below could mean the listener never ran.
    """
    page.goto("/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineScriptRan = true";
            document.body.append(script);
        }"""
    )
    assert page.evaluate("() => window.inlineScriptRan") is None
    # The report reaches Python through an exposed function: give it a moment.
    for _ in range(40):
        if recorder.csp_violations and recorder.console_csp_messages():
            break
        page.wait_for_timeout(50)
    assert [r["directive"] for r in recorder.csp_violations] == ["script-src-elem"]
    assert all(is_script_violation(r) for r in recorder.csp_violations)
    assert any(names_script_src(m) for m in recorder.console_csp_messages()), recorder.console


def test_admin_signs_in_and_edits_under_csp(page, live_server, recorder, admin_user, consultant):
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fadmin%2F$"))
    sign_in_with_password(page, admin_user.email)
    enter_totp_code(page)

    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    # Users changelist and its search box.
    page.get_by_role("link", name="Users", exact=True).click()
    expect(page.get_by_role("heading", name="Select user to change")).to_be_visible()
    search = page.get_by_role("search", name="Search users")
    search.get_by_role("textbox", name="Search").fill("consultant.a")
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"\?q=consultant\.a$"))
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name=consultant.email)).to_be_visible()
    expect(results.get_by_role("link", name=admin_user.email)).to_have_count(0)

    # A user's change page.
    results.get_by_role("link", name=consultant.email).click()
    expect(page.get_by_role("heading", name="Change user")).to_be_visible()
    expect(page.get_by_label("Email address:", exact=True)).to_have_value(consultant.email)

    # Add a partnership; the admin's prepopulate script writes the slug as the name is typed.
    sidebar = page.get_by_role("navigation", name="Sidebar")
    sidebar.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Partnerships", exact=True)
    ).get_by_role("link", name="Add").click()
    expect(page.get_by_role("heading", name="Add partnership")).to_be_visible()
    page.get_by_label("Name:", exact=True).press_sequentially("Riverside Task Force")
    expect(page.get_by_label("Address name:", exact=True)).to_have_value("riverside-task-force")
    page.get_by_label("Summary:", exact=True).fill("Added in a browser test.")
    page.get_by_label("Listed publicly").check()
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text(re.compile(r"was added successfully"))).to_be_visible()
    partnership = Partnership.objects.get(name="Riverside Task Force")
    assert partnership.slug == "riverside-task-force"
    assert partnership.is_listed

    # No script was refused by the CSP on any page of the journey.
    assert_no_script_blocked(recorder)
    # Style violations (Django admin templates' own style attributes) are reported, not
    # failed; print them so a run shows what they were.
    other = [r for r in recorder.csp_violations if not is_script_violation(r)]
    if other:
        print("CSP violations other than scripts:\n" + format_csp_report(other))
