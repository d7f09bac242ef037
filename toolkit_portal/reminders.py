"""Account notifications: a coordinator waiting for approval is announced to the admins."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.urls import reverse

from .models import Notification, User
from .notifications import Due, Kind

KINDS = {Kind.COORDINATOR_PENDING}


def due(now):
    admins = list(User.objects.admins().values_list("id", flat=True))
    if not admins:
        return
    announced = Notification.objects.filter(
        kind=Kind.COORDINATOR_PENDING,
        content_type=ContentType.objects.get_for_model(User),
        object_id=OuterRef("id_text"),
    )
    waiting = (
        User.objects.pending_coordinators()
        .alias(id_text=Cast("id", output_field=CharField()))
        .filter(~Exists(announced))
    )
    url = (
        reverse("admin:toolkit_portal_user_changelist")
        + "?role__exact=coordinator&approved=pending"
    )
    for coordinator in waiting:
        for admin_id in admins:
            yield Due(Kind.COORDINATOR_PENDING, admin_id, coordinator, "approval", url)


def still_due(notification, obj, now):
    return obj.is_pending_coordinator
