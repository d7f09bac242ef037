from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_admins_of_pending_coordinator(user_id):
    """Email every admin that a coordinator account waits for approval.

    The email names no one: it links to the admin page, because mail is read on shared
    devices.
    """
    coordinator = User.objects.filter(pk=user_id).first()
    if coordinator is None or not coordinator.is_pending_coordinator:
        return 0  # approved or removed meanwhile: nothing is due any more
    recipients = list(User.objects.admins().values_list("email", flat=True))
    if not recipients:
        return 0
    context = {
        "review_url": settings.PORTAL_URL
        + reverse("admin:toolkit_portal_user_changelist")
        + "?role__exact=coordinator&approved=pending",
        "portal_url": settings.PORTAL_URL,
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("toolkit_portal/email/pending_coordinator_subject.txt").strip(),
        body=render_to_string("toolkit_portal/email/pending_coordinator.txt", context),
        to=recipients,
    )
    message.attach_alternative(
        render_to_string("toolkit_portal/email/pending_coordinator.html", context), "text/html"
    )
    message.send()
    return len(recipients)


@shared_task
def ping():
    """A no-op that proves a worker is consuming from the broker (used by health checks)."""
    return "pong"
