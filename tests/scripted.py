"""Running the scripted runs (tests/faults/run_faults.py, tests/cluster/run_cluster.py) from
the suite: each starts servers of its own and stops them on SIGTERM."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[1]


def run_script(script, *args, name, missing, timeout, stop_timeout):
    """Skip when the machine lacks what the run needs (`missing`: the reasons), else run it
    and return its exit code. What it printed is printed, for a failed run's report."""
    if missing:
        pytest.skip(f"The {name} needs real servers: " + "; ".join(missing))
    process = subprocess.Popen(
        [sys.executable, str(script), *args],
        cwd=BASE_DIR,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = ""
    try:
        output, _ = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:  # too slow, or the test is being stopped
            process.send_signal(signal.SIGTERM)  # the script stops its servers on SIGTERM
            try:
                output, _ = process.communicate(timeout=stop_timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                output, _ = process.communicate()
        print(output)
    return process.returncode
