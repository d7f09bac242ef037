"""What partnerships add to the portal's cross-cutting work (toolkit_portal/hooks.py): the
retention of invitations and the partnerships' models in the data inventory."""

from django.conf import settings
from django.db.models import Q

from toolkit_portal import hooks
from toolkit_portal.retention import Outcome, cutoff_for

from .inventory import INVENTORY, RETENTION
from .models import Invitation

hooks.data_inventory.register(INVENTORY)
hooks.retention_texts.register(RETENTION)


@hooks.retention_rules.register
def purge_invitations(now):
    """Invitations accepted, revoked or expired more than RETENTION_INVITATION_DAYS ago."""
    cutoff = cutoff_for(now, "RETENTION_INVITATION_DAYS")
    closed = (
        Q(accepted_at__lt=cutoff)
        | Q(revoked_at__lt=cutoff)
        | Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lt=cutoff)
    )
    deleted, _ = Invitation.objects.filter(closed).delete()
    return Outcome(
        "invitations",
        f"invitations closed more than {settings.RETENTION_INVITATION_DAYS} days ago",
        deleted=deleted,
    )
