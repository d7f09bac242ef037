"""Several beat processes may run (one a machine): RedBeat's lock in Redis lets exactly one
schedule at a time, and when the active one is killed another takes over within the lock's
timeout. Against a throwaway redis-server of its own, so no sweep reaches the suite's queue.

The sweep itself makes a second beat harmless anyway (one notification row per occasion under a
unique constraint): tests/faults case a runs two sweeps at once and counts the rows."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.ports import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
SENT = re.compile(r"Sending due task sweep-reminders")
LOCK_SECONDS = 4


def test_beat_uses_redbeat_with_a_lock_shorter_than_a_minute():
    assert settings.CELERY_BEAT_SCHEDULER == "redbeat.RedBeatScheduler"
    assert settings.REDBEAT["redbeat_lock_timeout"] <= 60
    assert settings.CELERY_BEAT_MAX_LOOP_INTERVAL < settings.REDBEAT["redbeat_lock_timeout"]


def _count(path):
    return len(SENT.findall(path.read_text(errors="replace"))) if path.exists() else 0


def _wait(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(0.2)
    pytest.fail(f"{what} within {seconds} s")


@pytest.mark.worker
@pytest.mark.timeout(120)
def test_two_beats_one_schedules_and_the_other_takes_over_when_it_is_killed(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is missing")
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    environment = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "REMINDER_SWEEP_SECONDS": "1",
        "BEAT_LOCK_SECONDS": str(LOCK_SECONDS),
        "BEAT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    beats, logs = [], [tmp_path / "beat-a.log", tmp_path / "beat-b.log"]
    try:
        for log in logs:
            with log.open("wb") as out:
                beats.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "celery",
                            "-A",
                            "toolkit_portal",
                            "beat",
                            "--loglevel",
                            "INFO",
                        ],
                        cwd=BASE_DIR,
                        env=environment,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        process_group=0,
                    )  # fmt: skip
                )
        _wait(lambda: sum(_count(log) for log in logs) >= 5, 60, "no sweep scheduled")
        counts = [_count(log) for log in logs]
        assert 0 in counts, f"both beats scheduled at once: {counts}"
        active = counts.index(max(counts))
        standby = 1 - active

        killed_at = time.monotonic()
        os.killpg(beats[active].pid, signal.SIGKILL)
        beats[active].wait()
        took_over_at = _wait(
            lambda: _count(logs[standby]) >= 2, LOCK_SECONDS + 30, "no beat took over"
        )
        assert took_over_at - killed_at < 60
        # The lock expired before the standby took it: never two at once.
        assert took_over_at - killed_at >= LOCK_SECONDS - 1
    finally:
        for process in beats:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
        redis.terminate()
        redis.wait(timeout=10)
