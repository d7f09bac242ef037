"""`make run` as a new user meets it: no DATABASE_URL, no REDIS_URL, a fresh copy of the
project. The embedded PostgreSQL and Redis start, the portal answers healthy on /healthz, the
worker and beat it runs deliver a reminder to var/mail/, and stopping it leaves no process
behind.

It runs whatever the environment says: the variables are removed for the child, so CI's
machine-wide servers are not used here.
"""

import email
import email.policy
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
# What a clone holds: the project without its virtual environment and run-time files.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".venv", "var", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"
)
STARTUP_SECONDS = 240  # install is done; migrate, demo data, web, worker and beat on 2 cores
DELIVERY_SECONDS = 120


def _health(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return json.load(response)
    except (OSError, urllib.error.URLError, ValueError):
        return None


def _wait_for(condition, seconds, process, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        assert process.poll() is None, f"make run ended (exit {process.returncode}) before {what}"
        time.sleep(1)
    pytest.fail(f"no {what} within {seconds} s")


def _processes_in_session(session):
    """The live processes of a session (zombies excluded), from /proc: `make run` and every
    process it started, each command in a process group of its own."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, sid = fields[0], int(fields[3])
        if sid == session and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.smoke
@pytest.mark.timeout(STARTUP_SECONDS + DELIVERY_SECONDS + 120)
def test_make_run_serves_healthy_and_delivers_a_reminder(tmp_path):
    # Under var/, not the system's temporary folder: the embedded PostgreSQL runs as its own
    # system user when started by root, and must reach its data directory.
    project = Path(tempfile.mkdtemp(prefix="smoke-", dir=BASE_DIR / "var")) / "portal"
    shutil.copytree(BASE_DIR, project, ignore=NOT_IN_A_CLONE)
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "EMAIL_URL",
            "PORTAL_URL",
            "DJANGO_ENV",
            "XDG_RUNTIME_DIR",
        }
    }
    environment.update(PORT=str(port), REMINDER_SWEEP_SECONDS="3", PYTHONUNBUFFERED="1")
    log = (tmp_path / "make-run.log").open("w")
    # What `make run` runs once the virtual environment is installed, in its own process
    # group so that every process it starts can be found afterwards.
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit_portal.embedded", "run"],
        cwd=project,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        health = _wait_for(
            lambda: (h := _health(port)) and h["status"] == "ok" and h,
            STARTUP_SECONDS,
            process,
            "healthy /healthz",
        )
        assert health == {"status": "ok", "database": "ok", "broker": "ok"}

        mail = project / "var" / "mail"

        def reminder_to_the_demo_consultant():
            for path in mail.glob("*.log") if mail.exists() else []:
                # The file backend writes each message followed by a line of dashes.
                for text in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n"):
                    message = email.message_from_string(text, policy=email.policy.default)
                    if message["To"] == "consultant@demo.local":
                        return message
            return None

        message = _wait_for(
            reminder_to_the_demo_consultant, DELIVERY_SECONDS, process, "reminder in var/mail/"
        )
        # A subject longer than a line is folded after "Subject:"; a mail reader drops the
        # space that unfolding leaves, Python's parser keeps it.
        assert message["Subject"].lstrip().startswith("[Partnership Portal] ")
        assert "/inbox/" in message.get_body(preferencelist=("plain",)).get_content()
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # what Ctrl-C or a service manager sends
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        print((tmp_path / "make-run.log").read_text())
        deadline = time.monotonic() + 20
        while (left := _processes_in_session(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.5)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(project.parent, ignore_errors=True)
    assert not left, f"make run left processes behind: {left}"
