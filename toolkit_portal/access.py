"""Access checks shared by every app's views.

Someone signed out is sent to sign in; someone signed in without the right role gets 403;
a pending coordinator gets a 403 page that says the account waits for approval.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse


def consultant_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_consultant:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def approved_coordinator_required(view):
    """Approved coordinators and admins; pending coordinators see why they cannot enter."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_pending_coordinator:
            return TemplateResponse(request, "toolkit_portal/pending_approval.html", status=403)
        if not (user.is_approved_coordinator or user.is_portal_admin):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
