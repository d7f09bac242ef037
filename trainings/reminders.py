"""Notifications of the training catalog, derived from its rows like every reminder."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from toolkit_portal.models import User
from toolkit_portal.notifications import not_told, notices, record_notices, url_expression

from .choices import RequestStatus
from .models import Training, TrainingRequest


class Kind:
    """Notifications about the training catalog and training requests.

    MESSAGES: the sentence a person reads (email and inbox); it names no survivor."""

    TRAINING_SUGGESTED = "training_suggested"
    TRAINING_PUBLISHED = "training_published"
    TRAINING_REQUEST_SENT = "training_request_sent"
    TRAINING_REQUEST_CHANGED = "training_request_changed"

    MESSAGES = {
        TRAINING_SUGGESTED: _("A suggested training is waiting for review."),
        TRAINING_PUBLISHED: _("A training you suggested is now in the catalog."),
        TRAINING_REQUEST_SENT: _("A partnership asked for an on-site training session."),
        TRAINING_REQUEST_CHANGED: _("Your request for a training session has an answer."),
    }


KINDS = {
    Kind.TRAINING_SUGGESTED,
    Kind.TRAINING_PUBLISHED,
    Kind.TRAINING_REQUEST_SENT,
    Kind.TRAINING_REQUEST_CHANGED,
}


def record_due(now):
    """Record what is due now, each rule one INSERT … SELECT. Returns the number created."""
    admins = list(User.objects.admins().values_list("id", flat=True))
    return (
        _to_admins(
            Training.objects.filter(is_published=False, suggested_by__isnull=False),
            Kind.TRAINING_SUGGESTED,
            "suggested",
            "admin:trainings_training_change",
            admins,
            now,
        )
        + _training_published(now)
        + _to_admins(
            TrainingRequest.objects.filter(status=RequestStatus.SENT),
            Kind.TRAINING_REQUEST_SENT,
            "sent",
            "admin:trainings_trainingrequest_change",
            admins,
            now,
        )
        + _training_request_answered(now)
    )


def _to_admins(queryset, kind, occasion, admin_page, admins, now):
    """Each row not told yet, to every admin (few: each is named in the statement), with a
    link to its page in the admin."""
    waiting = not_told(queryset, kind)
    url = url_expression(admin_page, object_id=F("pk"))
    return record_notices(
        *[
            notices(waiting, kind=kind, recipient=admin_id, occasion=occasion, url=url)
            for admin_id in admins
        ],
        now=now,
    )


def _training_published(now):
    published = Training.objects.filter(is_published=True, suggested_by__isnull=False)
    rows = notices(
        not_told(published, Kind.TRAINING_PUBLISHED),
        kind=Kind.TRAINING_PUBLISHED,
        recipient=F("suggested_by"),
        occasion="published",
        url=url_expression("trainings:detail", slug=F("slug")),
        label=F("title"),
    )
    return record_notices(rows, now=now)


def _training_request_answered(now):
    answered = TrainingRequest.objects.exclude(status=RequestStatus.SENT).filter(
        requested_by__isnull=False
    )
    rows = notices(
        not_told(answered, Kind.TRAINING_REQUEST_CHANGED, per="status"),
        kind=Kind.TRAINING_REQUEST_CHANGED,
        recipient=F("requested_by"),
        occasion=F("status"),
        url=url_expression("trainings:request-detail", pk=F("pk")),
    )
    return record_notices(rows, now=now)


def still_due(notification, obj, now):
    kind = notification.kind
    if kind == Kind.TRAINING_SUGGESTED:
        return not obj.is_published
    if kind == Kind.TRAINING_PUBLISHED:
        return obj.is_published
    if kind == Kind.TRAINING_REQUEST_SENT:
        return obj.status == RequestStatus.SENT
    if kind == Kind.TRAINING_REQUEST_CHANGED:
        return obj.status == notification.occasion
    return False
