"""Sign-in, sign-out and sessions: the allauth adapter and the signals beside it.

- Too many failed sign-ins (or second-factor codes) answer 429 with our own page, not a
  form error that a script could ignore.
- Sign-ins, sign-outs, failed sign-ins and refused sign-ins are written to the audit trail.
  The trail is append-only and can never be erased, so an entry names an account only by
  its reference ("user #12") and keeps nothing of what was typed: not the password, and not
  the address tried when it matches no account (a person who mistyped their address, or
  typed their password into the address field, must not be kept forever). A keyed hash of
  the address would still let anyone holding the key test an address, so there is none.
- Deactivating an account (in the admin, or by erasure) ends all its sessions at once.
- allauth's form that sends a code to re-authenticate has a field without a label, which
  Django would show as "Recipient" in English: it gets a translated one. Its second-factor
  code fields (app codes and recovery codes are both digits) open a phone's number pad.
- allauth's email subjects carry the portal's translated prefix and are folded onto one line
  like the portal's own; its greeting names the portal, not the host.
"""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.signals import user_logged_in as allauth_user_logged_in
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from .audit import record_audit
from .notifications import email_subject

# Session keys read by toolkit_portal.middleware.SessionLimitsMiddleware.
SIGNED_IN_AT = "portal_signed_in_at"
LAST_SEEN = "portal_last_seen"
# Set on a request whose sign-out should also clear what the browser kept of the site.
CLEAR_SITE_DATA = "_portal_clear_site_data"


class SignInPage:
    """What a sign-in event is recorded against when no account matches the address typed.

    The audit trail records every entry against an object; an attempt on an unknown address
    has none, and must not keep the address either.
    """

    class _meta:
        label_lower = "account.signin"
        model_name = "signin"

    pk = "-"

    def __str__(self):
        return "sign-in"


def _account_for(login):
    if not login:
        return None
    return get_user_model().objects.filter(email__iexact=login.strip()).first()


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject):
        # The portal's own prefix, in the reader's language (never the host's name).
        return email_subject(subject)

    def send_mail(self, template_prefix, email, context):
        # allauth greets with the Site's name, which without django.contrib.sites is the host
        # ("Hello from 127.0.0.1:8111!"): our base_message.txt names the portal instead.
        super().send_mail(template_prefix, email, {"portal_url": settings.PORTAL_URL, **context})

    def validation_error(self, code, *args):
        if code == "too_many_login_attempts":
            # allauth shows this as a form error (status 200); a refused attempt must be a
            # real 429 so that clients and monitoring see it.
            request = context.request
            actor = getattr(request, "user", None)
            record_audit(actor, "accounts.sign_in.throttled", SignInPage(), path=request.path)
            raise ImmediateHttpResponse(respond_429(request))
        return super().validation_error(code, *args)

    @sensitive_variables("credentials", "login")
    def authentication_failed(self, request, **credentials):
        login = credentials.get("email") or credentials.get("username") or ""
        account = _account_for(login)
        record_audit(
            getattr(request, "user", None),
            "accounts.sign_in.failed",
            account or SignInPage(),
            method="password",
        )


def _signed_in(sender, request, user, **kwargs):
    """allauth's signal: a person completed every step of signing in (password, code)."""
    record_audit(user, "accounts.sign_in", user)


def _session_started(sender, request, user, **kwargs):
    """Django's signal (any way of signing in): the session's maximum age starts now."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


def _signed_out(sender, request, user, **kwargs):
    if request is not None:
        setattr(request, CLEAR_SITE_DATA, True)
    if user is not None:
        record_audit(user, "accounts.sign_out", user)


def _code_refused(sender, request, user, reauthentication=False, **kwargs):
    record_audit(
        user if reauthentication else None,
        "accounts.sign_in.failed",
        user,
        method="second_factor",
    )


def _end_sessions_when_deactivated(sender, instance, update_fields=None, **kwargs):
    if instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    end_sessions_of(instance)


def end_sessions_of(user):
    """End every session of this account, wherever it is signed in."""
    from allauth.usersessions.models import UserSession

    for user_session in UserSession.objects.filter(user=user):
        user_session.end()


def label_allauth_fields():
    from allauth.account.forms import RequestReauthenticationCodeForm
    from allauth.mfa.base.forms import BaseAuthenticateForm
    from allauth.mfa.totp.forms import ActivateTOTPForm

    RequestReauthenticationCodeForm.base_fields["recipient"].label = _("Send the code to")
    for form in (BaseAuthenticateForm, ActivateTOTPForm):
        form.base_fields["code"].widget.attrs["inputmode"] = "numeric"


def connect_signals():
    allauth_user_logged_in.connect(_signed_in, dispatch_uid="portal_audit_sign_in")
    user_logged_in.connect(_session_started, dispatch_uid="portal_session_started")
    user_logged_out.connect(_signed_out, dispatch_uid="portal_signed_out")
    mfa_authentication_failed.connect(_code_refused, dispatch_uid="portal_code_refused")
    post_save.connect(
        _end_sessions_when_deactivated,
        sender=get_user_model(),
        dispatch_uid="portal_end_sessions_when_deactivated",
    )
