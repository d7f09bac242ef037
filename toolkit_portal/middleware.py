from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """Headers Django does not set by itself.

    Signed-in pages are never stored by the browser or a proxy: survivor data must not
    stay behind on a shared device.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class RequireMFAMiddleware:
    """Coordinators and admins enrol a second factor before they reach anything else.

    allauth has no setting for mandatory MFA. Until they have an authenticator, every
    address outside their account settings sends them to the TOTP set-up page.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/healthz")

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
