"""The scripted fault run (run_faults.py): nothing lost, nothing wrong, doubles only in the
counted window between the mail server accepting a message and the row being marked sent.

It starts its own PostgreSQL cluster, Redis server, SMTP server and Celery worker, so it
touches neither the test database nor the broker of the rest of the suite.
"""

import json
from pathlib import Path

import pytest

from tests.scripted import run_script

from .run_faults import CASES, missing_prerequisites

SCRIPT = Path(__file__).with_name("run_faults.py")
# Seconds for the whole run (the script stops starting cases after it); alone on 2 cores it
# takes about 3½ minutes, and a busy machine gets room to spare.
TIME_LIMIT = 480


@pytest.mark.faults
@pytest.mark.timeout(TIME_LIMIT + 90)
def test_faults_lose_nothing_and_send_nothing_wrong(tmp_path):
    report = tmp_path / "faults.json"
    returncode = run_script(
        SCRIPT,
        "--json",
        str(report),
        "--time-limit",
        str(TIME_LIMIT),
        name="fault run",
        missing=missing_prerequisites(),
        timeout=TIME_LIMIT + 40,
        stop_timeout=30,
    )
    assert report.exists(), f"the fault run ended without a report (exit {returncode})"
    results = json.loads(report.read_text())["cases"]

    assert sorted(results) == sorted(CASES), "every case ran"
    for key, case in results.items():
        assert case["fault_error"] == "", f"case {key}: {case['fault_error']}"
        assert case["due"] == 1000, f"case {key}: {case['due']} due"
        assert case["lost"] == 0, f"case {key} lost {case['lost']}: {case['notes']}"
        assert case["wrong"] == 0, f"case {key} sent {case['wrong']} wrong: {case['notes']}"
        assert case["duplicate_rows"] == 0, f"case {key}: two rows for one occasion"
        assert case["status_mismatches"] == 0, f"case {key}: {case['notes']}"
        # Doubles only where a fault struck between the SMTP server's "250" and the commit.
        assert case["doubled_outside_window"] == 0, f"case {key}: {case['notes']}"
        assert case["doubled_ids"] == case["window_ids"], f"case {key}: {case['notes']}"
        assert case["delivered"] + case["refused"] == case["due"]
    # Sweeps at once, then after the deadlines passed, then twice in a row: one row each.
    assert results["a"]["rows_after_sweeps"] == [1000, 1040, 1040]
    assert results["d"]["refused"] == 4, "the refused address's four notifications failed"
    assert returncode == 0
