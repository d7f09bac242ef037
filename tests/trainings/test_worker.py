"""A real Celery worker on the real broker delivers a training-catalog email."""

import pytest

from tests.workers import delivered_message
from toolkit_portal import notifications
from toolkit_portal.celery import app
from toolkit_portal.models import Notification, User
from trainings.models import Training

from .factories import TrainingFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_tells_the_suggester_their_training_is_published(worker):
    queue, mail_dir = worker
    suggester = User.objects.create_user("suggester@example.org", role="consultant")
    training = TrainingFactory(is_published=True, suggested_by=suggester)

    notifications.sweep(enqueue=False)
    notification = Notification.objects.get(kind="training_published")
    app.send_task("toolkit_portal.tasks.deliver_notification", args=[notification.pk], queue=queue)

    message = delivered_message(notification, mail_dir)
    assert "To: suggester@example.org" in message
    assert training.get_absolute_url() in message
    assert Training.objects.filter(pk=training.pk, is_published=True).exists()
