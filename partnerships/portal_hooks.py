"""What partnerships add to the portal's cross-cutting work (toolkit_portal/hooks.py): the
retention of invitations, the partnerships' models in the data inventory, and the proposals in a
person's data export and erasure."""

from django.conf import settings
from django.db.models import Q

from toolkit_portal import hooks
from toolkit_portal.retention import Outcome, cutoff_for

from .inventory import INVENTORY, RETENTION
from .models import Invitation, PartnershipProposal

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


@hooks.person_data_export.register
def export_proposals(person):
    proposals = PartnershipProposal.objects.filter(proposer=person).order_by("created_at")
    return {
        "partnership_proposals": [
            {
                "name": p.name,
                "areas_served": p.areas_served,
                "focus": p.focus,
                "organizations": p.organizations,
                "status": p.status,
                "created_at": p.created_at.isoformat(),
            }
            for p in proposals
        ]
    }


@hooks.person_data_erasure.register
def erase_proposals(*, person, actor):
    """Her proposals say who proposed; the partnerships made from them stay."""
    PartnershipProposal.objects.filter(proposer=person).delete()
