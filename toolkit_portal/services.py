"""State changes on accounts. Each is atomic and takes the acting user as a keyword."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import Role, User
from .rows import save_fields


class AccountError(DomainError):
    """A change that cannot be made, with a message a person can read."""


@transaction.atomic
def approve_coordinator(*, coordinator, actor):
    user = User.objects.select_for_update().get(pk=coordinator.pk)
    if user.role != Role.COORDINATOR:
        raise AccountError(_("%(email)s is not a coordinator account.") % {"email": user.email})
    if user.approved_at is not None:
        raise AccountError(_("%(email)s is already approved.") % {"email": user.email})
    save_fields(user, approved_at=timezone.now(), approved_by=actor)
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["approved_at", "approved_by"]}}],
        single_object=True,
    )
    return user
