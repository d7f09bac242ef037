"""Signing in through the real forms, as a browser does, for the security tests."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from zeal import zeal_ignore

from tests.toolkit_portal.factories import PASSWORD, TOTP_SECRET


def current_code(secret=TOTP_SECRET):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


# allauth's sign-in reads the account once to check the password and once more for each
# session the account already has (allauth.usersessions drops the dead ones): several
# User.get() that django-zeal would take for one N+1. Only these reads are let through.
SIGN_IN_READS = [{"model": "toolkit_portal.User"}]


def sign_in(client, user, password=PASSWORD, **extra):
    """Post the sign-in form (and the second-factor code when the account has one)."""
    with zeal_ignore(SIGN_IN_READS):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": password}, **extra
        )
        if response.status_code == 302 and response.headers["Location"] == reverse(
            "mfa_authenticate"
        ):
            response = client.post(reverse("mfa_authenticate"), {"code": current_code()}, **extra)
    return response


def fail_sign_in(client, email, **extra):
    return client.post(
        reverse("account_login"), {"login": email, "password": "not-the-password-1"}, **extra
    )
