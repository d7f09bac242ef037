"""Sign-up, email verification, sign-in, two-factor steps and sign-out, in a real browser.

Every page a person sees on the way is checked with axe-core (WCAG 2.2 AA).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    CONSULTANT,
    PASSWORD_LABEL,
    assert_no_script_blocked,
    check_accessibility,
    enter_totp_code,
    sign_in_with_password,
    sign_up,
    totp_code,
    verification_link,
)
from tests.toolkit_portal.factories import PASSWORD, CoordinatorFactory
from toolkit_portal.models import Role, User

pytestmark = pytest.mark.browser


def test_consultant_signs_up_verifies_email_signs_in_and_out(page, live_server, recorder):
    email = "new.consultant@example.org"

    page.goto("/")
    check_accessibility(page)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Sign up").click()

    sign_up(page, email, CONSULTANT)

    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    check_accessibility(page)
    user = User.objects.get(email=email)
    assert user.role == Role.CONSULTANT
    assert not user.emailaddress_set.get().verified

    # The link in the email points at the portal's configured address; open the same path
    # on the live server.
    link = verification_link(email)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    expect(page.get_by_role("heading", name="Confirm Email Address")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    assert user.emailaddress_set.get().verified
    sign_in_with_password(page, email)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Welcome", exact=True)).to_be_visible()
    check_accessibility(page)

    nav.get_by_role("link", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/logout/$"))
    expect(page.get_by_text("Are you sure you want to sign out?")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Sign Out").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    expect(nav.get_by_role("link", name="Sign out")).to_have_count(0)
    check_accessibility(page)
    assert_no_script_blocked(recorder)


def test_coordinator_signs_in_with_password_and_totp(page, live_server, recorder, coordinator):
    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Your partnerships")).to_be_visible()
    expect(page.get_by_role("link", name="Partnership X")).to_be_visible()
    check_accessibility(page)
    assert_no_script_blocked(recorder)


def test_coordinator_without_mfa_must_enrol_before_anything_else(page, live_server, recorder):
    coordinator = CoordinatorFactory(email="no.mfa@example.org", totp=False)

    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)

    # The middleware sends them to the TOTP set-up page; allauth first asks for the password
    # again ("Confirm Access"), as it does for every MFA change, even right after sign-in.
    activate = re.compile(r"/accounts/2fa/totp/activate/$")
    confirm_then_activate = re.compile(
        r"/accounts/reauthenticate/\?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F$"
    )
    expect(page).to_have_url(confirm_then_activate)
    for address in ["/", "/partnerships/"]:
        page.goto(address)
        expect(page).to_have_url(confirm_then_activate)
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    check_accessibility(page)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(activate)
    for address in ["/", "/partnerships/"]:
        page.goto(address)
        expect(page).to_have_url(activate)
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    check_accessibility(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    page.get_by_label(re.compile(r"^\s*Authenticator code")).fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    # allauth then shows the recovery codes it made; the dashboard opens from now on.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    check_accessibility(page)
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Your partnerships")).to_be_visible()
    check_accessibility(page)
    assert coordinator.authenticator_set.filter(type="totp").exists()
    assert_no_script_blocked(recorder)
