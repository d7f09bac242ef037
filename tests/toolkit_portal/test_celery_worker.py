"""A real Celery worker process, on the real broker, completes a task end to end."""

import pytest

from tests.workers import delivered_message
from toolkit_portal import notifications
from toolkit_portal.celery import app
from toolkit_portal.models import Notification, User


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_the_pending_coordinator_email(worker):
    queue, mail_dir = worker
    User.objects.create_user("admin@example.org", role="admin", is_staff=True)
    User.objects.create_user("waiting@example.org", role="coordinator")
    notifications.sweep(enqueue=False)
    notification = Notification.objects.get()

    # send_task goes through the broker even though the test process runs tasks eagerly.
    app.send_task("toolkit_portal.tasks.deliver_notification", args=[notification.pk], queue=queue)

    message = delivered_message(notification, mail_dir)
    assert "To: admin@example.org" in message
    assert "A coordinator account is awaiting approval" in message
