"""Emails of the training catalog. Tasks take primary keys and name no one in the body:
mail is read on shared devices, so each email links to the page instead."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from toolkit_portal.models import User

from .choices import RequestStatus
from .models import Training, TrainingRequest


def _send(template, context, recipients):
    if not recipients:
        return 0
    context = {**context, "portal_url": settings.PORTAL_URL}
    message = EmailMultiAlternatives(
        subject=render_to_string(f"trainings/email/{template}_subject.txt", context).strip(),
        body=render_to_string(f"trainings/email/{template}.txt", context),
        to=recipients,
    )
    message.attach_alternative(
        render_to_string(f"trainings/email/{template}.html", context), "text/html"
    )
    message.send()
    return len(recipients)


def _admin_emails():
    return list(User.objects.admins().values_list("email", flat=True))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_admins_of_suggestion(training_id):
    """Tell the admins a suggested training waits for review."""
    training = Training.objects.filter(pk=training_id, is_published=False).first()
    if training is None:
        return 0  # published or removed meanwhile
    url = settings.PORTAL_URL + reverse("admin:trainings_training_change", args=[training.pk])
    return _send("suggestion", {"review_url": url}, _admin_emails())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_suggester_of_publication(training_id):
    """Tell the suggester their training is in the catalog, once.

    The claim is taken before sending: if the send then fails for good the suggester is not
    told (they still see it under their suggestions), which is better than being told twice.
    """
    claimed = Training.objects.filter(
        pk=training_id, is_published=True, suggester_told_at__isnull=True
    ).update(suggester_told_at=timezone.now())
    if not claimed:
        return 0
    training = Training.objects.select_related("suggested_by").get(pk=training_id)
    if training.suggested_by is None or not training.suggested_by.is_active:
        return 0
    url = settings.PORTAL_URL + training.get_absolute_url()
    return _send("published", {"training_url": url}, [training.suggested_by.email])


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_admins_of_training_request(request_id):
    """Tell the admins a partnership asked for an on-site session."""
    if not TrainingRequest.objects.filter(pk=request_id, status=RequestStatus.SENT).exists():
        return 0
    url = settings.PORTAL_URL + reverse("admin:trainings_trainingrequest_change", args=[request_id])
    return _send("request_sent", {"review_url": url}, _admin_emails())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_requester_of_status(request_id, status):
    """Tell the coordinator who asked that the request is scheduled, held or declined."""
    request = (
        TrainingRequest.objects.select_related("requested_by")
        .filter(pk=request_id, status=status)
        .first()
    )
    if request is None or request.requested_by is None or not request.requested_by.is_active:
        return 0  # changed again meanwhile: the later change sends its own email
    context = {
        "status": RequestStatus(status).label,
        "request_url": settings.PORTAL_URL + request.get_absolute_url(),
    }
    return _send("request_status", context, [request.requested_by.email])
