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

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sent = list(mail_dir.glob("*.log")) if mail_dir.exists() else []
        if sent:
            break
        time.sleep(0.25)
    assert sent, "the worker did not deliver the email within 60 seconds"
    message = sent[0].read_text()
    assert "To: admin@example.org" in message
    assert "A coordinator account is awaiting approval" in message
    # The row is marked sent right after the mail is handed over.
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.status == Notification.Status.SENT:
            break
        time.sleep(0.1)
    assert notification.status == Notification.Status.SENT
