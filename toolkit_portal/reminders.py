"""Account notifications: a coordinator waiting for approval is announced to the admins."""

from django.urls import reverse

from .models import User
from .notifications import Kind, not_told, notices, record_notices

KINDS = {Kind.COORDINATOR_PENDING}


def record_due(now):
    """Each coordinator waiting for approval, once, to every admin (few: each is named in the
    statement). Returns the number of notifications created."""
    waiting = not_told(User.objects.pending_coordinators(), Kind.COORDINATOR_PENDING)
    url = (
        reverse("admin:toolkit_portal_user_changelist")
        + "?role__exact=coordinator&approved=pending"
    )
    admins = User.objects.admins().values_list("id", flat=True)
    return record_notices(
        *[
            notices(
                waiting,
                kind=Kind.COORDINATOR_PENDING,
                recipient=admin_id,
                occasion="approval",
                url=url,
            )
            for admin_id in admins
        ],
        now=now,
    )


def still_due(notification, obj, now):
    return obj.is_pending_coordinator
