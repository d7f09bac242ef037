"""The survivors app's models in the data inventory (toolkit_portal/data_inventory.py explains
the entries; portal_hooks.py registers them)."""

from toolkit_portal.data_inventory import LINK, entry, no_personal_data, with_history

RETENTION = {
    "profile": "until the consultant erases their data",
    "request": "as long as the engagement; erasure blanks the free text and unlinks",
    "books": "kept for the books; erasure unlinks the consultant",
    "expense": "kept for the books; erasure unlinks the consultant, deletes her receipts and "
    "blanks the notes and questions",
    "profile_view": "`RETENTION_PROFILE_VIEW_DAYS` (365)",
}

ENGAGEMENT_FIELDS = [
    "id",
    "partnership",
    "title",
    "portal_text",
    "portal_text_subject",
    "kind",
    "roles_needed",
    "description",
    "mode",
    "location",
    "starts_at",
    "ends_at",
    "estimated_hours",
    "compensation_amount",
    "compensation_basis",
    "seats",
    "response_deadline",
    "involves_criminal_justice",
    "content_notes",
    "status",
    "completed_at",
    "cancelled_at",
    "created_at",
]

INVENTORY = {
    "survivors.ConsultantProfile": entry(
        "profile",
        {
            "user": LINK,
            "display_name": "How the consultant is shown (a pseudonym is fine)",
            "pronouns": "How to address the consultant",
            "bio": "What the consultant tells coordinators about themselves",
            "roles": "The work the consultant offers",
            "languages": "Matching requests to the consultant",
            "areas_served": "Matching requests to the consultant",
            "works_remote": "Matching requests to the consultant",
            "works_in_person": "Matching requests to the consultant",
            "preferred_rate": "What the consultant asks to be paid",
            "rate_basis": "What the consultant asks to be paid",
            "monthly_capacity": "Rule 1: never over capacity",
            "availability": "Rule 1: paused or limited availability",
            "paused_until": "Rule 1: paused or limited availability",
            "criminal_justice_opt_in": "Rule 3: no pressure into criminal justice work",
            "is_listed": "Whether coordinators can find the consultant",
            "contact_email": "How the consultant chose to be reached",
            "contact_phone": "How the consultant chose to be reached",
            "email_muted_kinds": "Which reminders the consultant wants by email",
        },
        ["id", "created_at", "updated_at"],
    ),
    "survivors.PrivateDetails": entry(
        "profile",
        {
            "profile": LINK,
            "legal_name": "Paying the consultant (encrypted; consultant and permitted admins)",
            "mailing_address": "Paying the consultant (encrypted)",
            "payment_details": "Paying the consultant (encrypted)",
        },
        ["id", "updated_at"],
    ),
    "survivors.ProfileView": entry(
        "profile_view",
        {
            "profile": "Whose profile was opened",
            "viewer": "Rule 6: the consultant sees who opened their profile",
            "viewed_at": "Rule 6: and when",
        },
        ["id"],
    ),
    "survivors.CompensationPolicy": no_personal_data("id", "partnership", "payment_methods"),
    "survivors.RateCardEntry": no_personal_data(
        "id", "policy", "kind", "hourly_rate", "pays_preparation", "pays_travel"
    ),
    "survivors.Engagement": entry(
        "partnership",
        {"created_by": "Which coordinator created the engagement"},
        ENGAGEMENT_FIELDS,
    ),
    "survivors.HistoricalEngagement": entry(
        "history",
        {
            "created_by": "Which coordinator created the engagement",
            "history_user": "Who made the change",
        },
        with_history(ENGAGEMENT_FIELDS),
    ),
    "survivors.ParticipationRequest": entry(
        "request",
        {
            "consultant": "Who was asked",
            "sent_by": "Which coordinator asked",
            "status": "The consultant's answer",
            "answered_at": "When the consultant answered",
            "decline_reason": "Rule 4: an optional, private reason",
            "withdraw_reason": "Rule 4: an optional, private reason",
            "consent_story_shared": "The consultant's consent for this engagement",
            "consent_off_limits": "Topics the consultant will not discuss",
            "consent_recording": "The consultant's consent for this engagement",
            "consent_media": "The consultant's consent for this engagement",
            "consent_name_to_use": "The name the consultant wants used",
            "consent_given_at": "When consent was given",
            "consent_revoked_at": "When consent was revoked",
            "agreed_terms": "The engagement's terms the consultant agreed to",
            "terms_changed_at": "When the engagement's terms changed after she was asked",
            "changed_terms": "Which terms changed, for the consultant to confirm or leave",
            "released_at": "When the consultant was released from criminal-justice work",
            "hours_worked": "Rule 5: what the consultant is paid for",
            "preparation_hours": "Rule 5: what the consultant is paid for",
            "travel_hours": "Rule 5: what the consultant is paid for",
            "thank_you_note": "A coordinator's note to the consultant",
        },
        ["id", "engagement", "sent_at", "closed_at"],
    ),
    "survivors.HistoricalParticipationRequest": entry(
        "history",
        {
            "consultant": "Who was asked",
            "sent_by": "Which coordinator asked",
            "status": "The consultant's answer",
            "answered_at": "When the consultant answered",
            "consent_story_shared": "The consultant's consent, as it changed",
            "consent_off_limits": "Topics the consultant will not discuss, as they changed",
            "consent_recording": "The consultant's consent, as it changed",
            "consent_media": "The consultant's consent, as it changed",
            "consent_name_to_use": "The name the consultant wants used, as it changed",
            "consent_given_at": "When consent was given",
            "consent_revoked_at": "When consent was revoked",
            "agreed_terms": "The engagement's terms the consultant agreed to, as they changed",
            "terms_changed_at": "When the engagement's terms changed after she was asked",
            "changed_terms": "Which terms changed, for the consultant to confirm or leave",
            "released_at": "When the consultant was released from criminal-justice work",
            "hours_worked": "What the consultant is paid for, as it changed",
            "preparation_hours": "What the consultant is paid for, as it changed",
            "travel_hours": "What the consultant is paid for, as it changed",
            "thank_you_note": "A coordinator's note to the consultant",
            "history_user": "Who made the change",
        },
        with_history(["id", "sent_at", "closed_at", "engagement"]),
    ),
    "survivors.Expense": entry(
        "expense",
        {
            "amount": "Rule 5: the consultant's expenses are paid",
            "note": "What the expense was",
            "receipt": (
                "The consultant's receipt (may show her name or address); served only to "
                "her, the partnership's coordinators and admins"
            ),
            "query_message": "A coordinator's question to her about the line",
            "status": "The coordinators' decision on the line: only approved lines are paid",
            "decided_by": "Which coordinator approved or queried the line",
        },
        ["id", "request", "kind", "added_by", "receipt_type", "decided_at", "created_at"],
    ),
    "survivors.Compensation": entry(
        "books",
        {
            "consultant": "Who is owed",
            "fee": "Rule 5: what the consultant is owed",
            "expenses_total": "Rule 5: what the consultant is owed",
            "amount": "Rule 5: what the consultant is owed",
            "payment_method": "How the consultant chose to be paid",
            "paid_on": "When the consultant was paid",
            "paid_method": "How the consultant was paid",
            "paid_reference": "The payment's reference (check number, transfer id)",
            "marked_paid_by": "Which coordinator recorded the payment",
            "not_received_note": "The consultant's report of a payment not received",
        },
        ["id", "request", "partnership", "due_on", "status", "reopened_at", "created_at"],
    ),
    "survivors.HistoricalCompensation": entry(
        "history",
        {
            "consultant": "Who is owed",
            "fee": "What the consultant was owed, as it changed",
            "expenses_total": "What the consultant was owed, as it changed",
            "amount": "What the consultant was owed, as it changed",
            "payment_method": "How the consultant chose to be paid, as it changed",
            "paid_on": "When the consultant was paid",
            "paid_method": "How the consultant was paid",
            "paid_reference": "The payment's reference",
            "not_received_note": "The consultant's report of a payment not received",
            "marked_paid_by": "Which coordinator recorded the payment",
            "history_user": "Who made the change",
        },
        with_history(
            ["id", "due_on", "status", "reopened_at", "created_at", "request", "partnership"]
        ),
    ),
    "survivors.Feedback": entry(
        "request",
        {
            "request": "Whose feedback it is (hidden from coordinators when anonymous)",
            "went_well": "The consultant's feedback, in their words",
            "to_improve": "The consultant's feedback, in their words",
            "felt_respected": "The consultant's rating of how they were treated",
        },
        ["id", "partnership", "is_anonymous", "created_at"],
    ),
    "survivors.Recommendation": entry(
        "partnership",
        {
            "consultant": "The consultant who made the recommendation",
            "text": "The consultant's recommendation, in their words",
            "is_anonymous": "Whether coordinators see it without the consultant's name",
            "answered_by": "Which coordinator answered",
        },
        [
            "id",
            "partnership",
            "board",
            "engagement",
            "status",
            "response",
            "answered_at",
            "created_at",
        ],
    ),
    "survivors.Board": no_personal_data(
        "id", "partnership", "name", "purpose", "survivor_seats", "term_months", "created_at"
    ),
    "survivors.BoardMember": entry(
        "partnership",
        {"consultant": "Who serves on the survivor leader board"},
        ["id", "board", "term_starts_on", "term_ends_on", "created_at"],
    ),
    "survivors.BoardMeeting": no_personal_data("id", "board", "engagement"),
}
