from .models import AuditEntry


def record_audit(actor, action, obj, **details):
    """Write one audit entry. `action` is a dotted code, e.g. "survivors.compensation.paid"."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_person else None,
        actor_label=actor.email if is_person else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:200],
        details=details,
    )
