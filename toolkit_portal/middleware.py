import time

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .accounts import CLEAR_SITE_DATA, LAST_SEEN, SIGNED_IN_AT
from .audit import record_audit


class SecurityHeadersMiddleware:
    """Headers Django does not set by itself.

    Signed-in pages are never stored by the browser or a proxy: survivor data must not
    stay behind on a shared device. Signing out also asks the browser to drop what it kept
    of the site (its cache and storage). Not its cookies: Django already deletes the session
    cookie, and clearing every cookie would also drop the "You have signed out" notice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        signed_out = getattr(request, CLEAR_SITE_DATA, False)
        if signed_out:
            response.headers["Clear-Site-Data"] = '"cache", "storage"'
        user = getattr(request, "user", None)
        if signed_out or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response


class SessionLimitsMiddleware:
    """Every session ends SESSION_COOKIE_AGE seconds after sign-in, however busy; a
    coordinator's or admin's session (they reach survivor data) also ends after
    COORDINATOR_IDLE_MINUTES without a request. Either way the person lands on the sign-in
    page with a message that says why.

    Django's own expiry counts from the session's last save, which activity keeps moving;
    the maximum age here counts from sign-in.
    """

    # Record activity at most this often, so that browsing does not write the session on
    # every request.
    touch_every_seconds = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._ended(request, user)
            if ended:
                return self._sign_out(request, user, ended)
        return self.get_response(request)

    def _ended(self, request, user):
        session = request.session
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is None:
            # A session from before these limits: its age counts from now.
            session[SIGNED_IN_AT] = signed_in_at = now
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            return "max_age"
        if not user.requires_mfa():
            return None
        last_seen = session.get(LAST_SEEN, signed_in_at)
        if now - last_seen > settings.COORDINATOR_IDLE_MINUTES * 60:
            return "idle"
        if now - last_seen >= self.touch_every_seconds or LAST_SEEN not in session:
            session[LAST_SEEN] = now
        return None

    def _sign_out(self, request, user, reason):
        record_audit(user, "accounts.session_ended", user, reason=reason)
        logout(request)
        if reason == "idle":
            minutes = settings.COORDINATOR_IDLE_MINUTES
            message = ngettext(
                "You were signed out after %(minutes)d minute without activity, to keep "
                "survivors' information safe. Please sign in again.",
                "You were signed out after %(minutes)d minutes without activity, to keep "
                "survivors' information safe. Please sign in again.",
                minutes,
            ) % {"minutes": minutes}
        else:
            message = _("Your session has ended. Please sign in again.")
        messages.info(request, message)
        login_url = reverse("account_login")
        if request.method == "GET":
            login_url = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(login_url)


class AuditRefusalsMiddleware:
    """Every refused permission check (a 403 to someone signed in), from any view or
    decorator, is written to the audit trail with the address and method: never the query
    string or the form, which may hold what the person typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code == 403 and user is not None and user.is_authenticated:
            record_audit(
                user, "access.refused", user, path=request.path[:300], method=request.method
            )
        return response


class RequireMFAMiddleware:
    """Coordinators and admins enrol a second factor before they reach anything else.

    allauth has no setting for mandatory MFA. Until they have an authenticator, every
    address outside their account settings sends them to the TOTP set-up page.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/healthz", "/readyz", "/metrics")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.requires_mfa()
            and not request.path.startswith(self.allowed_prefixes)
            and not is_mfa_enabled(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class MethodNotAllowedMiddleware:
    """An address that only takes a form (a POST-only view) opened by its link: a visitor is
    sent to sign in, as every other page does, and a signed-in person reads a page that says
    what happened instead of a blank 405 (the status and Allow header stay)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or request.method not in ("GET", "HEAD"):
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            login_url = reverse("account_login")
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


class SessionlessGZipMiddleware(GZipMiddleware):
    """gzip for responses to requests without a session, and only those (BREACH).

    A compressed page that reflects what an attacker sends (a search, the `next` address of
    the language switch) beside a secret lets someone who sees the encrypted sizes guess the
    secret a character at a time. A page served without a session holds nothing of a
    person's: its only secret is the CSRF token, which Django masks afresh in every response,
    and Django's gzip adds up to 100 random bytes (Heal The BREACH) besides. A signed-in page
    (or one mid sign-in or sign-up, whose session holds an address) holds a person's data, and
    is sent uncompressed. README, "Performance": "Compressed pages".
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            return response
        return super().process_response(request, response)
