"""A real Celery worker process on the real broker, for the tests marked `worker`."""

import contextlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[1]


def url_of_test_database():
    """The DATABASE_URL of the test database this test run created."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@contextlib.contextmanager
def running_worker(**environment):
    """A worker on a queue of its own, reading the test database (and `environment`);
    yields the queue's name, and prints what the worker said once it is stopped. What the
    worker queues itself (a sweep's tasks) comes back to it alone."""
    queue = f"test-{uuid.uuid4().hex}"
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "toolkit_portal", "worker",
            "--queues", queue, "--pool", "solo", "--loglevel", "INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": url_of_test_database(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **environment,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        yield queue
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output)


def wait_until_sent(notification, timeout=60):
    """Wait until the worker has marked the notification sent."""
    from toolkit_portal.models import Notification

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.status == Notification.Status.SENT:
            return
        time.sleep(0.2)
    assert notification.status == Notification.Status.SENT, (
        f"the worker did not deliver within {timeout} s ({notification.status})"
    )


def delivered_message(notification, mail_dir, timeout=60):
    """Wait until the worker has marked the notification sent (the mail file is then
    complete), and return the mail as written."""
    wait_until_sent(notification, timeout)
    [sent] = mail_dir.glob("*.log")
    return sent.read_text()
