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


def approved_coordinator_required(view):
    """Approved coordinators and admins who passed MFA in this session; pending coordinators
    see why they cannot enter."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_pending_coordinator:
            return TemplateResponse(request, "toolkit_portal/pending_approval.html", status=403)
        if not (user.is_approved_coordinator or user.is_portal_admin):
            raise PermissionDenied
        if not passed_mfa(request):
            return confirm_second_factor(request)
        return view(request, *args, **kwargs)

    return wrapper
