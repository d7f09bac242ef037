"""A real Celery worker on the real broker delivers a training-catalog email."""

import time

import pytest

from tests.toolkit_portal.test_celery_worker import worker  # noqa: F401 — the fixture
from toolkit_portal import notifications
from toolkit_portal.celery import app
from toolkit_portal.models import Notification, User
from trainings.models import Training

from .factories import TrainingFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_tells_the_suggester_their_training_is_published(worker):  # noqa: F811
    queue, mail_dir = worker
    suggester = User.objects.create_user("suggester@example.org", role="consultant")
    training = TrainingFactory(is_published=True, suggested_by=suggester)

    notifications.sweep(enqueue=False)
    notification = Notification.objects.get(kind="training_published")
    app.send_task("toolkit_portal.tasks.deliver_notification", args=[notification.pk], queue=queue)

    deadline = time.monotonic() + 60
    sent = []
    while time.monotonic() < deadline:
        sent = list(mail_dir.glob("*.log")) if mail_dir.exists() else []
        if sent:
            break
        time.sleep(0.25)
    assert sent, "the worker did not deliver the email within 60 seconds"
    message = sent[0].read_text()
    assert "To: suggester@example.org" in message
    assert training.get_absolute_url() in message
    assert Training.objects.filter(pk=training.pk, is_published=True).exists()
