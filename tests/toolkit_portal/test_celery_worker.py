"""A real Celery worker process, on the real broker, completes a task end to end."""

import pytest
from django.db import connection

from tests.workers import delivered_message, running_worker, wait_until_sent
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


def _sessions_so_far(cursor):
    """Connections ever opened to the test database (PostgreSQL counts each at its start)."""
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
    return cursor.fetchone()[0]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_keeps_its_database_connection_between_tasks(tmp_path):
    """With CONN_MAX_AGE, as in production, ten deliveries share the worker's connection
    instead of opening one each (Celery's default; toolkit_portal/celery.py)."""
    User.objects.create_user("admin@example.org", role="admin", is_staff=True)
    for number in range(10):
        User.objects.create_user(f"waiting{number}@example.org", role="coordinator")
    notifications.sweep(enqueue=False)
    waiting = list(Notification.objects.all())
    assert len(waiting) == 10
    mail_dir = tmp_path / "mail"
    with running_worker(EMAIL_URL=f"filemail://{mail_dir}", CONN_MAX_AGE="60") as queue:
        # The worker's first task opens its connection; count from there.
        app.send_task(
            "toolkit_portal.tasks.deliver_notification", args=[waiting[0].pk], queue=queue
        )
        delivered_message(waiting[0], mail_dir)
        with connection.cursor() as cursor:
            before = _sessions_so_far(cursor)
            for notification in waiting[1:]:
                app.send_task(
                    "toolkit_portal.tasks.deliver_notification",
                    args=[notification.pk],
                    queue=queue,
                )
            for notification in waiting[1:]:
                wait_until_sent(notification)
            opened = _sessions_so_far(cursor) - before
    assert opened == 0, f"{opened} connections opened for nine deliveries"
