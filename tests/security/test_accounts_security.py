"""Accounts: no enumeration, throttled sign-in, sessions that end when they should, and an
audit trail of sign-ins and refusals."""

import time

import pytest
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from zeal import zeal_ignore

from tests.auth import mfa_login
from tests.toolkit_portal.factories import PASSWORD
from toolkit_portal.accounts import LAST_SEEN, SIGNED_IN_AT
from toolkit_portal.models import AuditEntry, User

from .signing_in import SIGN_IN_READS, current_code, fail_sign_in, sign_in

UNKNOWN = "nobody.here@example.org"


def _shape(response, *addresses):
    """What a response tells the person: status, redirects, templates and messages, with the
    address they typed taken out (it is echoed back whether or not it is known)."""

    def scrub(text):
        for address in addresses:
            text = text.replace(address, "<address>")
        return text

    messages = [scrub(str(m)) for m in get_messages(response.wsgi_request)]
    form = (response.context or {}).get("form")
    errors = {k: [scrub(e) for e in v] for k, v in form.errors.items()} if form else {}
    return {
        "status": response.status_code,
        "chain": [(url, code) for url, code in getattr(response, "redirect_chain", [])],
        "templates": sorted({t.name for t in response.templates if t.name}),
        "messages": messages,
        "errors": errors,
    }


# Enumeration ---------------------------------------------------------------------------------


def test_sign_in_answers_the_same_for_known_and_unknown_addresses(client, consultant):
    known = fail_sign_in(client, consultant.email)
    unknown = fail_sign_in(Client(), UNKNOWN)
    assert known.status_code == 200
    assert _shape(known, consultant.email) == _shape(unknown, UNKNOWN)


def test_sign_up_answers_the_same_for_known_and_unknown_addresses(client, consultant):
    def sign_up(email):
        return Client().post(
            reverse("account_signup"),
            {"email": email, "password1": PASSWORD, "password2": PASSWORD, "role": "consultant"},
            follow=True,
        )

    known, unknown = sign_up(consultant.email), sign_up(UNKNOWN)
    assert known.redirect_chain == [(reverse("account_email_verification_sent"), 302)]
    assert _shape(known, consultant.email) == _shape(unknown, UNKNOWN)
    page = known.content.decode().lower()
    assert "already" not in page and "exists" not in page
    assert User.objects.filter(email=consultant.email).count() == 1


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, consultant):
    def reset(email):
        return Client().post(reverse("account_reset_password"), {"email": email}, follow=True)

    known, unknown = reset(consultant.email), reset(UNKNOWN)
    assert known.redirect_chain == [(reverse("account_reset_password_done"), 302)]
    assert _shape(known, consultant.email) == _shape(unknown, UNKNOWN)


# Throttling ----------------------------------------------------------------------------------


def test_the_sixth_failed_sign_in_is_refused_with_429(client, consultant):
    for _ in range(5):
        assert fail_sign_in(client, consultant.email).status_code == 200
    response = sign_in(client, consultant)  # even with the right password
    assert response.status_code == 429
    assert "429.html" in [t.name for t in response.templates]
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="accounts.sign_in.throttled").count() == 1


def test_the_admin_login_is_the_throttled_sign_in(client, admin_user):
    # A post to the admin's own form signs no one in: it sends to the portal's sign-in.
    response = client.post(
        reverse("admin:login"), {"username": admin_user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    sign_in_page = client.get(reverse("admin:index"), follow=True).redirect_chain[-1][0]
    assert sign_in_page.startswith(reverse("account_login"))
    for _ in range(5):
        client.post(sign_in_page, {"login": admin_user.email, "password": "wrong-one-1"})
    response = client.post(sign_in_page, {"login": admin_user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_wrong_second_factor_code_is_throttled_too(client, coordinator):
    client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    for _ in range(5):
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert response.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_forged_forwarded_for_does_not_reset_the_count_for_an_address(client, consultant):
    for n in range(5):
        fail_sign_in(client, consultant.email, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = sign_in(client, consultant, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_forwarded_for_does_not_reset_the_count_for_a_client(
    client, db, settings, proxies
):
    """Trying a different address each time is counted per client address: the one our own
    proxy saw (the last entry of X-Forwarded-For), or the connection's when there is none.
    What the client wrote in front of it changes nothing."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies

    def attempt(n, client_address="198.51.100.7"):
        forged = f"203.0.113.{n}, 192.0.2.{n}"
        forwarded = f"{forged}, {client_address}" if proxies else forged
        return fail_sign_in(client, f"spray{n}@example.org", HTTP_X_FORWARDED_FOR=forwarded)

    for n in range(10):
        assert attempt(n).status_code == 200
    assert attempt(10).status_code == 429
    if proxies:
        # Behind our proxy, another client is counted on its own.
        assert attempt(11, client_address="198.51.100.8").status_code == 200


# Sessions ------------------------------------------------------------------------------------


def test_a_session_replayed_after_sign_out_is_refused(client, consultant):
    sign_in(client, consultant)
    stolen = client.cookies["sessionid"].value
    assert client.get(reverse("inbox")).status_code == 200
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=stolen).exists()
    replay = Client()
    replay.cookies["sessionid"] = stolen
    response = replay.get(reverse("inbox"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))


def test_a_password_change_ends_the_other_sessions(consultant):
    here, elsewhere = Client(), Client()
    sign_in(here, consultant)
    sign_in(elsewhere, consultant)
    assert elsewhere.get(reverse("inbox")).status_code == 200
    new_password = "a-brand-new-passphrase-42"
    # allauth.usersessions reads each of the account's sessions once (bounded by how many
    # browsers the person uses), and Django reads a stale session again to delete it:
    # django-zeal would take either for an N+1.
    with zeal_ignore([{"model": "sessions.Session"}, *SIGN_IN_READS]):
        response = here.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
        )
        assert response.status_code == 302
        assert here.get(reverse("inbox")).status_code == 200  # the session that changed it
        assert elsewhere.get(reverse("inbox")).status_code == 302


def test_a_deactivated_account_has_no_live_session(client, admin_user, consultant):
    sign_in(client, consultant)
    assert Session.objects.count() == 1
    admin = mfa_login(Client(), admin_user)
    change_url = reverse("admin:toolkit_portal_user_change", args=[consultant.pk])
    form = admin.get(change_url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        email=consultant.email,
        role=consultant.role,
        language=consultant.language,
        is_active="",
        groups=[],
        user_permissions=[],
    )
    data.pop("is_active")
    sessions_before = set(Session.objects.values_list("session_key", flat=True))
    response = admin.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultant.refresh_from_db()
    assert not consultant.is_active
    # The consultant's session is gone; the admin's own stays.
    remaining = set(Session.objects.values_list("session_key", flat=True))
    assert client.cookies["sessionid"].value not in remaining
    assert admin.cookies["sessionid"].value in remaining
    assert sessions_before - remaining == {client.cookies["sessionid"].value}
    assert client.get(reverse("inbox")).status_code == 302


def test_an_erased_account_has_no_live_session(consultant):
    from survivors import services as survivor_services

    here, elsewhere = Client(), Client()
    sign_in(here, consultant)
    sign_in(elsewhere, consultant)
    survivor_services.erase_consultant(user=consultant, actor=consultant)
    assert not Session.objects.exists()
    for browser in (here, elsewhere):
        assert browser.get(reverse("inbox")).status_code == 302


def test_deactivating_in_code_ends_the_sessions_too(consultant, other_consultant):
    sign_in(Client(), consultant)
    other = Client()
    sign_in(other, other_consultant)
    consultant.is_active = False
    consultant.save(update_fields=["is_active"])
    assert Session.objects.count() == 1  # the other consultant's
    assert other.get(reverse("inbox")).status_code == 200


def _age(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "seen": LAST_SEEN}[key]] = now - ago
    session.save()


def test_an_idle_coordinator_session_ends_with_a_message(client, coordinator, settings):
    settings.COORDINATOR_IDLE_MINUTES = 30
    mfa_login(client, coordinator)
    _age(client, seen=29 * 60)
    assert client.get(reverse("inbox")).status_code == 200
    _age(client, seen=31 * 60)
    response = client.get(reverse("inbox"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('account_login')}?next=%2Finbox%2F"
    page = client.get(response.headers["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in page
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(
        action="accounts.session_ended", actor=coordinator, details__reason="idle"
    ).exists()


def test_activity_keeps_a_coordinator_session_alive(client, coordinator):
    mfa_login(client, coordinator)
    _age(client, seen=20 * 60)
    client.get(reverse("inbox"))
    assert time.time() - client.session[LAST_SEEN] < 5
    _age(client, signed_in=40 * 60)  # signed in long ago, but active
    assert client.get(reverse("inbox")).status_code == 200


def test_consultants_are_not_signed_out_for_idleness(client, consultant):
    client.force_login(consultant)
    _age(client, seen=3 * 60 * 60)
    assert client.get(reverse("inbox")).status_code == 200


def test_every_session_ends_after_its_maximum_age(client, consultant, settings):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    client.force_login(consultant)
    _age(client, signed_in=8 * 60 * 60 - 60)
    assert client.get(reverse("inbox")).status_code == 200
    _age(client, signed_in=8 * 60 * 60 + 1)
    response = client.get(reverse("inbox"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert "Your session has ended. Please sign in again." in response.content.decode()


# Audit ---------------------------------------------------------------------------------------


def _entries():
    return list(AuditEntry.objects.order_by("id"))


def test_sign_ins_and_sign_outs_are_audited(client, coordinator):
    sign_in(client, coordinator)
    client.post(reverse("account_logout"))
    actions = [(e.action, e.actor_id, e.object_id) for e in _entries()]
    assert actions == [
        ("accounts.sign_in", coordinator.pk, str(coordinator.pk)),
        ("accounts.sign_out", coordinator.pk, str(coordinator.pk)),
    ]


def test_failed_sign_ins_are_audited_without_what_was_typed(client, coordinator):
    fail_sign_in(client, coordinator.email)
    fail_sign_in(client, UNKNOWN)
    client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    entries = _entries()
    assert [(e.action, e.actor_id, e.object_type, e.object_id) for e in entries] == [
        ("accounts.sign_in.failed", None, "toolkit_portal.user", str(coordinator.pk)),
        ("accounts.sign_in.failed", None, "account.signin", "-"),
        ("accounts.sign_in.failed", None, "toolkit_portal.user", str(coordinator.pk)),
    ]
    assert [e.details["method"] for e in entries] == ["password", "password", "second_factor"]
    for entry in entries:
        text = repr(entry.__dict__)
        assert UNKNOWN not in text and "not-the-password" not in text and "000000" not in text


def test_refused_permission_checks_are_audited(client, consultant, pending_coordinator):
    client.force_login(consultant)
    assert client.get(reverse("survivors:directory") + "?q=river").status_code == 403
    client.force_login(pending_coordinator)
    assert client.get(reverse("survivors:engagement-list")).status_code == 403
    refused = [
        (e.actor_id, e.details)
        for e in AuditEntry.objects.filter(action="access.refused").order_by("id")
    ]
    assert refused == [
        (consultant.pk, {"path": reverse("survivors:directory"), "method": "GET"}),
        (pending_coordinator.pk, {"path": reverse("survivors:engagement-list"), "method": "GET"}),
    ]
