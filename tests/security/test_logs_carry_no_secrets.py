"""Logs and error reports carry no passwords, codes, legal names or payment details.

Known values are seeded, then the portal is driven through a failed sign-in, a sign-in with
a second-factor code, a form error and a server error; every log record (root logger at
DEBUG, django.request included), every email (the admins' error report with ADMINS set) and
every audit entry is searched for them.
"""

import logging
import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from survivors.models import PrivateDetails
from tests.survivors.factories import ConsultantProfileFactory
from tests.toolkit_portal.factories import PASSWORD
from toolkit_portal.models import AuditEntry

from .signing_in import current_code

LEGAL_NAME = "Marisol Quetzalli Arbuthnot"
PAYMENT = "routing 021000021 account 4403981177"
MAILING = "1407 Juniper Hollow Rd"
WRONG_PASSWORD = "Wrong-Horse-Staple-581"


def test_logs_and_error_reports_carry_no_secrets(caplog, settings, consultant, coordinator):
    settings.ADMINS = ["operations@example.org"]
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.security.urls_failing"
    profile = ConsultantProfileFactory(user=consultant)
    PrivateDetails.objects.create(
        profile=profile, legal_name=LEGAL_NAME, payment_details=PAYMENT, mailing_address=MAILING
    )
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")

    # A failed sign-in, then a successful one with a second-factor code.
    browser = Client(raise_request_exception=False)
    browser.post(reverse("account_login"), {"login": coordinator.email, "password": WRONG_PASSWORD})
    browser.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    code = current_code()
    assert browser.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    wrong_code = f"{(int(code) + 500000) % 1000000:06d}"
    second = Client(raise_request_exception=False)
    second.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    second.post(reverse("mfa_authenticate"), {"code": wrong_code})

    # A form error on the consultant's private details, with the values in the form.
    own = Client(raise_request_exception=False)
    own.post(reverse("account_login"), {"login": consultant.email, "password": PASSWORD})
    response = own.post(
        reverse("survivors:my-private-details"),
        {"legal_name": LEGAL_NAME + " " * 2 + "x" * 300, "payment_details": PAYMENT},
    )
    assert response.status_code == 200 and response.context["form"].errors

    # A server error while the values are in the request and in the view's variables.
    response = own.post(
        f"/failing/?payment={PAYMENT.replace(' ', '+')}",
        {"legal_name": LEGAL_NAME, "password": WRONG_PASSWORD, "code": code},
    )
    assert response.status_code == 500

    # What was captured is real: the error was logged and reported to the admins.
    logged = "\n".join(
        [record.getMessage() for record in caplog.records]
        + [caplog.text]
        + [logging.Formatter().format(record) for record in caplog.records]
    )
    assert "Internal Server Error: /failing/" in logged
    reports = [m for m in mail.outbox if m.to == settings.ADMINS]
    assert len(reports) == 1
    report = reports[0]
    assert "RuntimeError" in report.body and "The view failed." in report.body
    emails = "\n".join(
        [m.subject + m.body for m in mail.outbox]
        + [str(content) for m in mail.outbox for content, _type in m.alternatives]
    )
    audit = "\n".join(repr(entry.__dict__) for entry in AuditEntry.objects.all())

    for where, text in {"logs": logged, "emails": emails, "audit": audit}.items():
        for secret in [LEGAL_NAME, PAYMENT, MAILING, WRONG_PASSWORD, PASSWORD, "Quetzalli"]:
            assert secret not in text, f"{secret!r} found in the {where}"
        for secret in [code, wrong_code]:
            assert not re.search(rf"\b{secret}\b", text), f"a code found in the {where}"
