"""`make cluster` (run_cluster.py): two web machines, two workers, two beats, haproxy,
PostgreSQL, Redis and SeaweedFS on loopback; one of each killed under load and started again.

It starts every server of its own on free ports, so it touches neither the test database nor
the suite's broker; it runs alone after the suite (the Makefile's `test` target).
"""

import json
from pathlib import Path

import pytest

from tests.scripted import run_script

from .run_cluster import BEAT_LOCK_SECONDS, missing_prerequisites

SCRIPT = Path(__file__).with_name("run_cluster.py")
TIME_LIMIT = 420  # on a busy 2-core machine; about 3 minutes on a quiet one


@pytest.mark.cluster
@pytest.mark.timeout(TIME_LIMIT + 60)
def test_two_of_everything_survive_losing_one_of_each(tmp_path):
    report_path = tmp_path / "cluster.json"
    returncode = run_script(
        SCRIPT,
        "--json",
        str(report_path),
        name="cluster run",
        missing=missing_prerequisites(),
        timeout=TIME_LIMIT,
        stop_timeout=60,
    )
    assert report_path.exists(), f"the cluster run ended without a report ({returncode})"
    report = json.loads(report_path.read_text())
    assert not report.get("errors"), report.get("errors")

    checks = report["checks"]
    assert checks["session_moves"], checks["session_detail"]
    assert checks["certificate_a_to_b"], checks["certificate_detail"]
    assert checks["nothing_on_machine_disks"]
    assert checks["sign_in_limit_shared"], checks["sign_in_answers"]
    assert checks["static_identical"]
    assert checks["request_id_logged"], "haproxy's request id in the web machine's JSON log"

    load = report["load"]
    assert load["requests"] > 200
    assert load["failed"] == 0, load["failures"]

    reminders = report["reminders"]
    assert reminders["due"] > 0
    assert reminders["lost"] == 0, reminders
    assert reminders["duplicate_rows"] == 0, reminders
    assert reminders["doubled_outside_window"] == 0, reminders

    takeover = report["takeover"]
    assert takeover["web_seconds"] < 10
    assert takeover["worker_seconds"] < 30
    assert takeover["beat_seconds"] < 60
    assert takeover["beat_seconds"] >= BEAT_LOCK_SECONDS - 3  # the lock expired first
    assert report["sweeps_at_once"] == 0, "both beats sent the sweep in the same interval"
    assert returncode == 0
