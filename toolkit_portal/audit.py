"""The audit trail: append-only, so it holds no personal data.

A PostgreSQL trigger (migration 0005) refuses every UPDATE, DELETE and TRUNCATE of an entry,
so an entry can never be erased or corrected. It therefore names people only through
references that erasure can empty elsewhere: the actor is a foreign key to the account (an
erased account keeps its row, with its email replaced) and labels say only the role, the
kind of record and its id, never an email, a display name or a title someone typed.
Details passed by callers must follow the same rule: ids and codes, never names.
"""

from .models import AuditEntry


def actor_label(actor):
    """What the entry says about who acted: "coordinator #12", or "system"."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return f"{getattr(actor, 'role', '') or 'user'} #{actor.pk}"


def object_label(obj):
    """What the entry says about the record: "participationrequest #41", never its text."""
    return f"{obj._meta.model_name} #{obj.pk}"[:200]


def record_audit(actor, action, obj, **details):
    """Write one audit entry. `action` is a dotted code, e.g. "survivors.compensation.paid"."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_person else None,
        actor_label=actor_label(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=object_label(obj),
        details=details,
    )
