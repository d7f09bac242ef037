"""Retention: what the portal removes or anonymises once it has been kept long enough.

`purge_expired()` applies every rule in one transaction; the periods are settings
(`RETENTION_*`, see README, "Personal data: what is kept and for how long", and
`toolkit_portal/data_inventory.py`); apps add their own rules (`hooks.retention_rules`). A dry
run applies the same rules and rolls them back, so the counts it reports are exactly what a real
run would do.

Notifications need care: the reminder sweep writes one row per occasion and uses the row to
know that an occasion was already told. A row is only deleted when the sweep would not write
it again; a row that still guards against a repeat is kept with its label and error cleared.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import hooks, notifications
from .models import CalendarFeed, Notification, User

# The address erase_consultant() gives an erased account (survivors.services).
ERASED_EMAIL = re.compile(r"^erased-\d+@erased\.invalid$")
DONE = [Notification.Status.SENT, Notification.Status.CANCELLED, Notification.Status.FAILED]


@dataclass
class Outcome:
    """What one rule did (or, in a dry run, would do)."""

    rule: str
    description: str
    deleted: int = 0
    anonymised: int = 0


class _RollBack(Exception):
    """Raised to leave an atomic block without keeping what it did."""


def purge_expired(*, now=None, dry_run=False):
    """Apply every retention rule; return one Outcome per rule."""
    now = now or timezone.now()
    outcomes = []
    try:
        with transaction.atomic():
            for rule in rules():
                outcomes.append(rule(now))
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    return outcomes


def cutoff_for(now, setting):
    return now - timedelta(days=getattr(settings, setting))


# The rules ----------------------------------------------------------------------------------


def purge_sessions(now):
    """Expired sessions (the session store's own rows), then the session list's entries
    (IP address and browser) of sessions that ended or expired."""
    from allauth.usersessions.models import UserSession

    outcome = Outcome(
        "sessions", "expired sessions, and the sign-in records (IP address, browser) of ended ones"
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    # Database-backed stores (db, cached_db) keep expired rows until told; a cache or cookie
    # store forgets them by itself.
    if hasattr(store, "get_model_class"):
        outcome.deleted, _ = store.get_model_class().objects.filter(expire_date__lt=now).delete()
    for user_session in UserSession.objects.iterator():
        outcome.deleted += user_session.purge()
    return outcome


def purge_notifications(now):
    cutoff = cutoff_for(now, "RETENTION_NOTIFICATION_DAYS")
    old = Notification.objects.filter(status__in=DONE, created_at__lt=cutoff)
    deleted, anonymised = _delete_notifications(old, now)
    return Outcome(
        "notifications",
        f"delivered or closed notifications older than {settings.RETENTION_NOTIFICATION_DAYS} days",
        deleted=deleted,
        anonymised=anonymised,
    )


def purge_history(now):
    """Change history (django-simple-history) older than RETENTION_HISTORY_DAYS. The records
    themselves keep their current state."""
    cutoff = cutoff_for(now, "RETENTION_HISTORY_DAYS")
    deleted = 0
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager and not getattr(model._meta, "abstract", False):
            count, _ = getattr(model, manager).filter(history_date__lt=cutoff).delete()
            deleted += count
    return Outcome(
        "history",
        f"change history older than {settings.RETENTION_HISTORY_DAYS} days",
        deleted=deleted,
    )


def purge_email_confirmations(now):
    from allauth.account.models import EmailConfirmation

    deleted, _ = EmailConfirmation.objects.all_expired().delete()
    return Outcome("email_confirmations", "expired email confirmation keys", deleted=deleted)


def purge_erased_accounts(now):
    """What an erased account still left behind: its notifications, second factors,
    calendar address, sessions and email rows go; the last sign-in time is cleared; the
    admin's change log names the account by its erased address."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    outcome = Outcome("erased_accounts", "what erased accounts left behind")
    erased = [
        user
        for user in User.objects.filter(is_active=False, email__endswith="@erased.invalid")
        if ERASED_EMAIL.match(user.email)
    ]
    if not erased:
        return outcome
    ids = [user.pk for user in erased]
    deleted, anonymised = _delete_notifications(
        Notification.objects.filter(recipient_id__in=ids), now
    )
    outcome.deleted += deleted
    outcome.anonymised += anonymised
    for model in (Authenticator, CalendarFeed, UserSession, EmailAddress):
        count, _ = model.objects.filter(user_id__in=ids).delete()
        outcome.deleted += count
    outcome.anonymised += User.objects.filter(pk__in=ids, last_login__isnull=False).update(
        last_login=None
    )
    user_type = ContentType.objects.get_for_model(User)
    for user in erased:
        outcome.anonymised += (
            LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk))
            .exclude(object_repr=user.email)
            .update(object_repr=user.email)
        )
    return outcome


def purge_admin_log_labels(now):
    """The admin's change log keeps the text of a record it changed, e.g. a display name:
    once the record is gone (deleted or erased), that text goes too."""
    outcome = Outcome("admin_log", "names in the admin's change log of records that are gone")
    labelled = LogEntry.objects.exclude(object_repr="").exclude(content_type=None)
    for content_type_id in labelled.values_list("content_type", flat=True).distinct():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        entries = labelled.filter(content_type_id=content_type_id)
        object_ids = set(entries.values_list("object_id", flat=True))
        existing = set()
        keys = {}
        for object_id in object_ids:
            try:
                keys[model._meta.pk.to_python(object_id)] = object_id
            except ValidationError:
                continue
        for pk in model._base_manager.filter(pk__in=list(keys)).values_list("pk", flat=True):
            existing.add(keys[pk])
        gone = object_ids - existing
        if gone:
            outcome.anonymised += entries.filter(object_id__in=gone).update(object_repr="")
    return outcome


def rules():
    """Every retention rule in the order they run: the sessions, then the apps' own rules
    (hooks.retention_rules, e.g. partnerships' invitations and survivors' profile views),
    then notifications, history and what erased accounts left behind."""
    return [purge_sessions, *hooks.retention_rules, *RULES_AFTER_THE_APPS]


RULES_AFTER_THE_APPS = [
    purge_notifications,
    purge_history,
    purge_email_confirmations,
    purge_erased_accounts,
    purge_admin_log_labels,
]


# Notifications ------------------------------------------------------------------------------


def _key(kind, recipient_id, content_type_id, object_id, occasion):
    return (kind, recipient_id, content_type_id, str(object_id), occasion[:100])


def _delete_notifications(queryset, now):
    """Delete the rows the reminder sweep would not write again; strip the others of their
    label and last error. Returns (deleted, anonymised)."""
    rows = list(
        queryset.values_list(
            "pk", "kind", "recipient_id", "content_type_id", "object_id", "occasion"
        )
    )
    if not rows:
        return 0, 0
    keys = {_key(*row[1:]): row[0] for row in rows}
    guarding = [keys[key] for key in _written_again(keys, now)]
    deleted, _ = (
        Notification.objects.filter(pk__in=[row[0] for row in rows])
        .exclude(pk__in=guarding)
        .delete()
    )
    anonymised = (
        Notification.objects.filter(pk__in=guarding)
        .filter(~Q(subject_label="") | ~Q(last_error=""))
        .update(subject_label="", last_error="")
    )
    return deleted, anonymised


def _written_again(keys, now):
    """Of these notification rows ({key: pk}), the keys the sweep would record again were
    the rows gone: delete them in a nested transaction, let every reminder rule record what is
    due, see which of the keys are back, and roll back."""
    again = set()
    try:
        with transaction.atomic():
            Notification.objects.filter(pk__in=list(keys.values())).delete()
            for provider in notifications.providers():
                provider.record_due(now)
            # Every row with one of these keys was deleted above: any found was written again.
            written = Notification.objects.filter(
                object_id__in={key[3] for key in keys}
            ).values_list("kind", "recipient_id", "content_type_id", "object_id", "occasion")
            again = {_key(*row) for row in written} & set(keys)
            raise _RollBack
    except _RollBack:
        pass
    return again
