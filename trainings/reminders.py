"""Notifications of the training catalog, derived from its rows like every reminder."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from toolkit_portal.models import Notification, User
from toolkit_portal.notifications import Due

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


def _missing(queryset, kind, per_status=False):
    recorded = Notification.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(queryset.model),
        object_id=OuterRef("id_text"),
    )
    if per_status:
        recorded = recorded.filter(occasion=OuterRef("status"))
    return queryset.alias(id_text=Cast("id", output_field=CharField())).filter(~Exists(recorded))


def due(now):
    admins = list(User.objects.admins().values_list("id", flat=True))
    suggested = Training.objects.filter(is_published=False, suggested_by__isnull=False)
    for training in _missing(suggested, Kind.TRAINING_SUGGESTED):
        url = reverse("admin:trainings_training_change", args=[training.pk])
        for admin_id in admins:
            yield Due(Kind.TRAINING_SUGGESTED, admin_id, training, "suggested", url)

    published = Training.objects.filter(is_published=True, suggested_by__isnull=False)
    for training in _missing(published, Kind.TRAINING_PUBLISHED):
        yield Due(
            Kind.TRAINING_PUBLISHED,
            training.suggested_by_id,
            training,
            "published",
            training.get_absolute_url(),
            training.title,
        )

    sent = TrainingRequest.objects.filter(status=RequestStatus.SENT)
    for request in _missing(sent, Kind.TRAINING_REQUEST_SENT):
        url = reverse("admin:trainings_trainingrequest_change", args=[request.pk])
        for admin_id in admins:
            yield Due(Kind.TRAINING_REQUEST_SENT, admin_id, request, "sent", url)

    answered = TrainingRequest.objects.exclude(status=RequestStatus.SENT).filter(
        requested_by__isnull=False
    )
    for request in _missing(answered, Kind.TRAINING_REQUEST_CHANGED, per_status=True):
        yield Due(
            Kind.TRAINING_REQUEST_CHANGED,
            request.requested_by_id,
            request,
            request.status,
            request.get_absolute_url(),
        )


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
