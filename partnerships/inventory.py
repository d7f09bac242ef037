"""The partnerships app's models in the data inventory (toolkit_portal/data_inventory.py explains
the entries; portal_hooks.py registers them)."""

from toolkit_portal.data_inventory import entry

from .models import Position

RETENTION = {
    "partnership": "as long as the partnership keeps the record",
    "membership": "while the person belongs to the partnership",
    "invitation": "`RETENTION_INVITATION_DAYS` (30) after acceptance, revocation or expiry",
    "proposal": "while the account exists; deleted on erasure",
}

INVENTORY = {
    "partnerships.Partnership": entry(
        "partnership",
        {
            "contact_name": "The partnership's public contact person",
            "contact_email": "The partnership's public contact",
            "contact_phone": "The partnership's public contact",
        },
        [
            "id",
            "name",
            "slug",
            "summary",
            "state",
            "areas_served",
            "focus",
            "year_established",
            "website",
            "is_listed",
            "created_at",
        ],
    ),
    "partnerships.Membership": entry(
        "membership",
        {"user": "Who coordinates or belongs to the partnership"},
        ["id", "partnership", "role", "created_at"],
    ),
    "partnerships.Organization": entry(
        "partnership",
        {
            "contact_name": "The member organization's contact person",
            "contact_email": "The member organization's contact",
            "contact_phone": "The member organization's contact",
        },
        ["id", "partnership", "name", "sector", "role", "mou_signed_on", "created_at"],
    ),
    "partnerships.Goal": entry(
        "partnership",
        {"owner": "Who is responsible for the goal (may be a person's name)"},
        [
            "id",
            "partnership",
            "title",
            "four_p",
            "strategy",
            "target_date",
            "status",
            "key_area",
            "created_at",
            "updated_at",
        ],
    ),
    "partnerships.ProgressNote": entry(
        "partnership",
        {"author": "Who noted the progress"},
        ["id", "goal", "noted_on", "text", "created_at"],
    ),
    "partnerships.Invitation": entry(
        "invitation",
        {
            "email": "Where the invitation to coordinate was sent",
            "invited_by": "Which coordinator invited",
            "accepted_by": "Which account accepted",
        },
        ["id", "partnership", "role", "created_at", "expires_at", "accepted_at", "revoked_at"],
    ),
    "partnerships.Position": entry(
        "partnership",
        {"created_by": "Which coordinator posted the position"},
        ["id", "partnership", *Position.POSTED_FIELDS, "created_at"],
    ),
    "partnerships.PartnershipProposal": entry(
        "proposal",
        {"proposer": "Which coordinator awaiting approval proposed the partnership"},
        [
            "id",
            "name",
            "areas_served",
            "focus",
            "organizations",
            "status",
            "partnership",
            "created_at",
            "updated_at",
            "decided_at",
        ],
    ),
}
