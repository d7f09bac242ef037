"""The flags Chromium runs with in the browser tests, and in `make vitals` (bench/vitals.py)
so its numbers come from the same browser: no first-run or background work, no network of
its own, no sandbox (it runs as root in containers)."""

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
