"""A worker that stopped taking messages shuts itself down (its watchdog), and `make run`
starts a worker that ended again, as systemd's `Restart=always` does in production. The fault
run (`tests/faults/`) shows both after real Redis restarts."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from toolkit_portal.celery import app
from toolkit_portal.embedded import Supervisor, beat_command, spawn, worker_command
from toolkit_portal.worker_watchdog import is_stalled

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "waiting, busy, quiet_for, stalled",
    [
        (5, False, 61, True),
        (0, False, 600, False),  # nothing waits: an idle worker is fine
        (5, True, 600, False),  # it is working on a message
        (5, False, 30, False),  # it took one a moment ago
    ],
)
def test_a_worker_is_stalled_only_when_messages_wait_and_it_takes_none(
    waiting, busy, quiet_for, stalled
):
    assert is_stalled(waiting=waiting, busy=busy, quiet_for=quiet_for, stall_seconds=60) is stalled


@pytest.mark.worker
def test_a_worker_that_stops_taking_messages_shuts_itself_down():
    """A real worker on the real Redis is told to stop consuming its queue (as a broken
    consumer would), a message then waits there: the watchdog shuts the worker down."""
    queue = f"test-{uuid.uuid4().hex}"
    name = f"{queue}@localhost"
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "toolkit_portal", "worker", "-n", name,
            "--queues", queue, "--pool", "solo", "--loglevel", "INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "WORKER_STALL_SECONDS": "2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=0.5):
            assert time.monotonic() < deadline, "the worker did not start"
            assert process.poll() is None, "the worker ended before it started"
        app.control.cancel_consumer(queue, destination=[name], reply=True, timeout=5)
        app.send_task("toolkit_portal.tasks.ping", queue=queue)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(queue)
    assert "has taken none" in output, output
    assert "Warm shutdown" in output, output


def _process(code="import time; time.sleep(60)"):
    return spawn([sys.executable, "-c", code])


def _alive(pid):
    """Whether a process runs (a zombie waiting to be reaped does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_make_run_runs_beat_as_its_own_service_not_inside_the_worker():
    assert "--beat" not in worker_command()
    assert "beat" in beat_command() and "worker" not in beat_command()


def test_make_run_starts_a_worker_that_ended_again():
    web = _process()
    workers = []

    def start_worker():
        # The first worker ends at once with an error; the next keeps running.
        workers.append(
            _process("raise SystemExit(3)" if not workers else "import time; time.sleep(60)")
        )
        return workers[-1]

    supervisor = Supervisor(web, {"worker": start_worker})
    supervisor.QUICK_EXIT_SECONDS = 0  # the first one ran long enough
    try:
        workers[0].wait(timeout=10)
        assert supervisor.check() is True
        assert len(workers) == 2 and supervisor.services["worker"].process is workers[1]
        assert workers[1].poll() is None
    finally:
        supervisor.stop()
        for process in (web, *workers):
            process.wait(timeout=10)


def test_make_run_stops_when_the_worker_keeps_ending_at_once():
    web = _process()
    supervisor = Supervisor(web, {"worker": lambda: _process("raise SystemExit(3)")})
    try:
        # The first two quick exits are started again; the third stops everything.
        for expected in (True, True, False):
            supervisor.services["worker"].process.wait(timeout=10)
            assert supervisor.check() is expected
    finally:
        supervisor.stop()
        web.wait(timeout=10)


# A worker whose main process starts a child (as `celery worker --beat` started beat, and as
# the prefork pool starts its processes), prints the child's id, and waits.
WORKER_WITH_A_CHILD = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
print(child.pid, flush=True)
time.sleep(120)
"""


def test_a_killed_worker_leaves_no_child_behind_and_only_one_runs_after_the_restart():
    """The main process of the worker is killed (SIGKILL, as the kernel's OOM killer or an
    operator would): the supervisor ends what it had started before starting it again, so
    one worker (and one beat) runs, never two."""
    web = _process()
    started = []

    def start_worker():
        process = spawn(
            [sys.executable, "-c", WORKER_WITH_A_CHILD], stdout=subprocess.PIPE, text=True
        )
        started.append((process, int(process.stdout.readline())))
        return process

    supervisor = Supervisor(web, {"worker": start_worker})
    supervisor.QUICK_EXIT_SECONDS = 0
    try:
        first, first_child = started[0]
        assert _alive(first_child)
        os.kill(first.pid, signal.SIGKILL)  # the main process only, not its group
        first.wait(timeout=10)
        assert supervisor.check() is True
        deadline = time.monotonic() + 10
        while _alive(first_child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(first_child), "the killed worker's child was left running"
        assert len(started) == 2
        second, second_child = started[1]
        assert second.poll() is None and _alive(second_child)
    finally:
        supervisor.stop()
        for process, _child in started:
            process.wait(timeout=30)
        web.wait(timeout=10)
    # The group's signal reaches each process on its own; a busy machine may need a moment.
    deadline = time.monotonic() + 10
    while any(_alive(child) for _process_, child in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(child) for _process_, child in started), "stop left a child running"
