"""A real Celery worker process, on the real broker, completes a task end to end."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from toolkit_portal import notifications
from toolkit_portal.celery import app
from toolkit_portal.models import Notification, User

BASE_DIR = Path(__file__).resolve().parents[2]


def url_of_test_database():
    """The DATABASE_URL of the test database this test run created."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def worker(tmp_path):
    queue = f"test-{uuid.uuid4().hex}"
    mail_dir = tmp_path / "mail"
    environment = {
        **os.environ,
        "DATABASE_URL": url_of_test_database(),
        "EMAIL_URL": f"filemail://{mail_dir}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "toolkit_portal", "worker",
            "--queues", queue, "--pool", "solo", "--loglevel", "INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    yield queue, mail_dir
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)


def delivered_message(notification, mail_dir, timeout=60):
    """Wait until the worker has marked the notification sent (the mail file is then
    complete), and return the mail as written."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.status == Notification.Status.SENT:
            break
        time.sleep(0.2)
    assert notification.status == Notification.Status.SENT, (
        f"the worker did not deliver within {timeout} s ({notification.status})"
    )
    [sent] = mail_dir.glob("*.log")
    return sent.read_text()


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
