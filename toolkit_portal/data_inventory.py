"""The data inventory: every field of every model, and whether it holds personal data.

Each app lists its own models in `<app>/inventory.py` and registers them (`portal_hooks.py`,
toolkit_portal/hooks.py); this module holds the framework's and the ground app's, and the
helpers. Each model lists its fields that hold personal data, with why it is kept (and, where it
differs from the model's, how long), and its other fields. `tests/privacy/
test_data_inventory.py` fails when a model field is missing here or an entry names a field
that no longer exists, so a new field cannot arrive without a decision about it.

README, "Personal data: what is kept and for how long", shows `render_markdown()`; after a
change here, print it with `python -m toolkit_portal.data_inventory` and paste it there (the
test compares them). Retention periods are settings (`RETENTION_*`); `purge_expired`
(daily on the beat schedule, see toolkit_portal/retention.py) applies them.
"""

from collections.abc import Mapping

from . import hooks

GROUND_RETENTION = {
    "account": "while the account exists; erasure anonymises it",
    "notification": "`RETENTION_NOTIFICATION_DAYS` (180) once delivered; deleted on erasure",
    "history": "`RETENTION_HISTORY_DAYS` (1095); erasure blanks the consultant's part at once",
    "session": "until the session ends or expires",
    "audit": "forever (append-only); the account behind the id is anonymised on erasure",
    "admin_log": "kept; labels of erased accounts and of records that are gone are removed",
    "confirmation": "until it expires",
    "second_factor": "until removed; deleted on erasure",
}


def entry(retention, personal=None, other=()):
    """personal: {field: purpose} or {field: (purpose, retention key)}."""
    return {"retention": retention, "personal": dict(personal or {}), "other": list(other)}


def no_personal_data(*fields):
    return entry(None, {}, fields)


def with_history(fields):
    """A django-simple-history model's other fields: its model's, and the history's own."""
    return [*fields, "history_id", "history_date", "history_change_reason", "history_type"]


LINK = "Links the record to the person it is about"

GROUND_INVENTORY = {
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
}


class _Merged(Mapping):
    """The ground app's entries, then every app's registered ones (hooks), read when used:
    the apps register theirs in AppConfig.ready()."""

    def __init__(self, own, hook):
        self.own = own
        self.hook = hook

    def _merged(self):
        merged = dict(self.own)
        for part in self.hook:
            merged.update(part)
        return merged

    def __getitem__(self, key):
        return self._merged()[key]

    def __iter__(self):
        return iter(self._merged())

    def __len__(self):
        return len(self._merged())


# How long each kind of record is kept, and every model's entry: the ground app's, then the
# apps' own (`<app>/inventory.py`, registered by `<app>/portal_hooks.py`).
RETENTION = _Merged(GROUND_RETENTION, hooks.retention_texts)
INVENTORY = _Merged(GROUND_INVENTORY, hooks.data_inventory)


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
    import django

    django.setup()  # the apps register their entries as they load
    print(render_markdown(), end="")
