"""The data inventory: every field of every model, and whether it holds personal data.

Each model lists its fields that hold personal data, with why it is kept (and, where it
differs from the model's, how long), and its other fields. `tests/privacy/
test_data_inventory.py` fails when a model field is missing here or an entry names a field
that no longer exists, so a new field cannot arrive without a decision about it.

README, "Personal data: what is kept and for how long", shows `render_markdown()`; after a
change here, print it with `python -m toolkit_portal.data_inventory` and paste it there (the
test compares them). Retention periods are settings (`RETENTION_*`); `purge_expired`
(daily on the beat schedule, see toolkit_portal/retention.py) applies them.
"""

RETENTION = {
    "account": "while the account exists; erasure anonymises it",
    "profile": "until the consultant erases their data",
    "request": "as long as the engagement; erasure blanks the free text and unlinks",
    "books": "kept for the books; erasure unlinks the consultant",
    "expense": "kept for the books; erasure unlinks the consultant, deletes her receipts and "
    "blanks the notes and questions",
    "partnership": "as long as the partnership keeps the record",
    "membership": "while the person belongs to the partnership",
    "invitation": "`RETENTION_INVITATION_DAYS` (30) after acceptance, revocation or expiry",
    "profile_view": "`RETENTION_PROFILE_VIEW_DAYS` (365)",
    "notification": "`RETENTION_NOTIFICATION_DAYS` (180) once delivered; deleted on erasure",
    "history": "`RETENTION_HISTORY_DAYS` (1095); erasure blanks the consultant's part at once",
    "session": "until the session ends or expires",
    "audit": "forever (append-only); the account behind the id is anonymised on erasure",
    "admin_log": "kept; labels of erased accounts and of records that are gone are removed",
    "confirmation": "until it expires",
    "second_factor": "until removed; deleted on erasure",
    "own_records": "until the person deletes it or erases their data",
    "assessment": "as long as the partnership keeps the assessment round",
    "catalog": "as long as the training is in the catalog",
}


def entry(retention, personal=None, other=()):
    """personal: {field: purpose} or {field: (purpose, retention key)}."""
    return {"retention": retention, "personal": dict(personal or {}), "other": list(other)}


def no_personal_data(*fields):
    return entry(None, {}, fields)


def with_history(fields):
    """A django-simple-history model's other fields: its model's, and the history's own."""
    return [*fields, "history_id", "history_date", "history_change_reason", "history_type"]


ENGAGEMENT_FIELDS = [
    "id",
    "partnership",
    "title",
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

LINK = "Links the record to the person it is about"

INVENTORY = {
    # Django and third-party apps ------------------------------------------------------------
    "admin.LogEntry": entry(
        "admin_log",
        {
            "user": "Which admin changed the record",
            "object_repr": "The changed record as the admin saw it (may name a person)",
            "change_message": "Which fields the admin changed",
        },
        ["id", "action_time", "content_type", "object_id", "action_flag"],
    ),
    "auth.Permission": no_personal_data("id", "name", "content_type", "codename"),
    "auth.Group_permissions": no_personal_data("id", "group", "permission"),
    "auth.Group": no_personal_data("id", "name"),
    "contenttypes.ContentType": no_personal_data("id", "app_label", "model"),
    "sessions.Session": entry(
        "session",
        {"session_data": "Who is signed in on a browser, and their messages and choices"},
        ["session_key", "expire_date"],
    ),
    "account.EmailAddress": entry(
        "account",
        {"user": LINK, "email": "Sign-in and verified address for reminders"},
        ["id", "verified", "primary"],
    ),
    "account.EmailConfirmation": entry(
        "confirmation",
        {"email_address": "The address being verified"},
        ["id", "created", "sent", "key"],
    ),
    "mfa.Authenticator": entry(
        "second_factor",
        {
            "user": LINK,
            "data": "The second factor's secret (TOTP) or recovery codes",
            "last_used_at": "When the second factor was last used",
        },
        ["id", "type", "created_at"],
    ),
    "usersessions.UserSession": entry(
        "session",
        {
            "user": LINK,
            "ip": "Shown to the person in their session list, to spot a stranger",
            "user_agent": "Shown to the person in their session list (browser and device)",
            "created_at": "When the person signed in",
            "last_seen_at": "When the session was last used",
        },
        ["id", "session_key", "data"],
    ),
    # Accounts, notifications, audit ------------------------------------------------------
    "toolkit_portal.User": entry(
        "account",
        {
            "email": "Sign-in and where reminders go",
            "password": "Sign-in (a salted hash)",
            "last_login": "Shown to admins; security review",
            "date_joined": "Shown to admins",
            "role": "Decides what the person may see",
            "approved_at": "When an admin approved a coordinator (rule 7)",
            "approved_by": "Which admin approved a coordinator",
            "language": "The language of the person's pages and reminders",
        },
        ["id", "is_superuser", "is_staff", "is_active"],
    ),
    "toolkit_portal.User_groups": entry("account", {"user": LINK}, ["id", "group"]),
    "toolkit_portal.User_user_permissions": entry("account", {"user": LINK}, ["id", "permission"]),
    "toolkit_portal.AuditEntry": entry(
        "audit",
        {"actor": "Who acted (the account row, anonymised on erasure)"},
        [
            "id",
            "at",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_label",
            "details",
        ],
    ),
    "toolkit_portal.Notification": entry(
        "notification",
        {
            "recipient": "Who is told",
            "subject_label": "What the inbox shows the notification is about",
            "last_error": "Why delivery failed (may quote the address)",
            "read_at": "Whether the person read it",
        },
        [
            "id",
            "kind",
            "content_type",
            "object_id",
            "occasion",
            "url",
            "status",
            "email_wanted",
            "attempts",
            "created_at",
            "next_attempt_at",
            "queued_at",
            "claimed_at",
            "sent_at",
        ],
    ),
    "toolkit_portal.CalendarFeed": entry(
        "account",
        {"user": "Whose private calendar address it is"},
        ["id", "token", "created_at"],
    ),
    # Partnerships ---------------------------------------------------------------------------
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
    "partnerships.Recommendation": entry(
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
    "partnerships.Board": no_personal_data(
        "id", "partnership", "name", "purpose", "survivor_seats", "term_months", "created_at"
    ),
    "partnerships.BoardMember": entry(
        "partnership",
        {"consultant": "Who serves on the survivor leader board"},
        ["id", "board", "term_starts_on", "term_ends_on", "created_at"],
    ),
    "partnerships.BoardMeeting": no_personal_data("id", "board", "engagement"),
    "partnerships.Position": entry(
        "partnership",
        {"created_by": "Which coordinator posted the position"},
        [
            "id",
            "partnership",
            "title",
            "organization",
            "schedule",
            "pay_range",
            "description",
            "how_to_apply",
            "closes_on",
            "lived_experience_counts",
            "created_at",
        ],
    ),
    "partnerships.InstrumentVersion": no_personal_data(
        "id", "number", "title", "title_es", "published_on", "is_current", "notes"
    ),
    "partnerships.Item": no_personal_data(
        "id",
        "version",
        "code",
        "position",
        "key_area",
        "principle",
        "four_r",
        "statement_en",
        "statement_es",
    ),
    "partnerships.AssessmentRound": entry(
        "assessment",
        {
            "opened_by": "Which coordinator opened the round",
            "closed_by": "Which coordinator closed the round",
        },
        [
            "id",
            "partnership",
            "version",
            "title",
            "closes_on",
            "opened_at",
            "closed_at",
            "engagement",
        ],
    ),
    "partnerships.Rater": entry(
        "assessment",
        {
            "user": "Who rates the partnership",
            "participation_request": "A consultant rater's paid participation request",
        },
        ["id", "round", "kind", "invited_at"],
    ),
    "partnerships.Answer": entry(
        "assessment",
        {"comment": "The rater's comment, in their words"},
        ["id", "rater", "item", "level", "updated_at"],
    ),
    "partnerships.Priority": entry(
        "assessment",
        {"created_by": "Which coordinator chose the priority"},
        ["id", "round", "key_area", "reason", "goal", "created_at"],
    ),
    # Survivor consultants -----------------------------------------------------------------
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
    # Trainings ----------------------------------------------------------------------------
    "trainings.Provider": no_personal_data("id", "name", "website", "description", "created_at"),
    "trainings.Training": entry(
        "catalog",
        {"suggested_by": "Who suggested the training, told when it is published"},
        [
            "id",
            "title",
            "slug",
            "provider",
            "delivery",
            "format",
            "audiences",
            "topics",
            "cost",
            "on_site",
            "length_hours",
            "url",
            "location",
            "description",
            "toolkit_notes",
            "in_toolkit",
            "key_areas",
            "principles",
            "growth_areas",
            "is_published",
            "published_at",
            "created_at",
            "updated_at",
            "search_vector",
        ],
    ),
    "trainings.TrainingRecord": entry(
        "own_records",
        {
            "person": LINK,
            "training": "Which training the person completed",
            "completed_on": "When the person completed it",
            "hours": "The person's training hours",
            "certificate": "The person's certificate file (may show their legal name)",
            "note": "The person's note",
        },
        ["id", "certificate_type", "created_at"],
    ),
    "trainings.Evaluation": entry(
        "own_records",
        {
            "rating": "The person's rating of the training",
            "comment": "The person's comment (shown without a name)",
        },
        ["id", "record", "comment_hidden", "created_at", "updated_at"],
    ),
    "trainings.GrowthGoal": entry(
        "own_records",
        {
            "person": LINK,
            "area": "The consultant's growth goal (rule 8)",
            "topics": "The consultant's growth goal (rule 8)",
            "description": "The consultant's growth goal, in their words",
            "achieved_on": "When the consultant reached it",
        },
        ["id", "created_at"],
    ),
    "trainings.TrainingRequest": entry(
        "partnership",
        {"requested_by": "Which coordinator asked, told of each answer"},
        [
            "id",
            "training",
            "partnership",
            "preferred_from",
            "preferred_until",
            "audience_size",
            "notes",
            "status",
            "scheduled_for",
            "status_changed_at",
            "created_at",
        ],
    ),
}


def personal_fields():
    """[(model label, field, purpose, retention text)] for every field with personal data."""
    rows = []
    for label, item in INVENTORY.items():
        for field, value in item["personal"].items():
            purpose, retention = value if isinstance(value, tuple) else (value, item["retention"])
            rows.append((label, field, purpose, RETENTION[retention]))
    return rows


def render_markdown():
    """The README's table: one row per model with personal data, then the models without."""
    lines = [
        "| record | fields with personal data | kept |",
        "|---|---|---|",
    ]
    without = []
    for label, item in INVENTORY.items():
        if not item["personal"]:
            without.append(label)
            continue
        fields = ", ".join(f"`{field}`" for field in item["personal"])
        retention = RETENTION[item["retention"]]
        overrides = [
            f"`{field}`: {RETENTION[value[1]]}"
            for field, value in item["personal"].items()
            if isinstance(value, tuple) and value[1] != item["retention"]
        ]
        kept = "; ".join([retention, *overrides])
        lines.append(f"| `{label}` | {fields} | {kept} |")
    lines.append("")
    lines.append("No personal data: " + ", ".join(f"`{label}`" for label in without) + ".")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
