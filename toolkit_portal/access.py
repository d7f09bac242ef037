"""Access checks shared by every app's views.

Someone signed out is sent to sign in; someone signed in without the right role gets 403;
a pending coordinator gets a 403 page that says the account waits for approval.
"""

from functools import wraps

from allauth.account.authentication import get_authentication_records
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode


def passed_mfa(request):
    """Whether this session's sign-in included the second factor."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def confirm_second_factor(request):
    """A session that began before MFA was set up: confirm the second factor, then come back."""
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('mfa_reauthenticate')}?{query}")


def consultant_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_consultant:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def role_required(allowed):
    """Signed in, and `allowed(user)`. The same rule for every page that admits coordinators:
    a pending coordinator sees why not (403), and a coordinator or admin must have passed the
    second factor in this session."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if user.is_pending_coordinator:
                return TemplateResponse(request, "toolkit_portal/pending_approval.html", status=403)
            if not allowed(user):
                raise PermissionDenied
            if (user.is_coordinator or user.is_portal_admin) and not passed_mfa(request):
                return confirm_second_factor(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Approved coordinators and admins.
approved_coordinator_required = role_required(
    lambda user: user.is_approved_coordinator or user.is_portal_admin
)
# Consultants, approved coordinators and admins (suggesting a training).
suggester_required = role_required(
    lambda user: user.is_consultant or user.is_approved_coordinator or user.is_portal_admin
)
# Anyone signed in: a rater of an assessment round, or its coordinators.
signed_in_rater_or_coordinator = role_required(lambda user: True)
