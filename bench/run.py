"""`make bench`: pages against references, measured side by side on the seeded database.

    DATABASE_URL=… REDIS_URL=… python -m bench.run [--rounds 5] [--seconds 3]

gunicorn serves the production settings (DEBUG off, persistent connections); wrk loads
each side of a pair in turn, alternating the sides `--rounds` times; the ratio of a pair is
the median of the per-round ratios of median latency. Two pairs run inside this process
(the reminder sweep and the catalog search). Writes bench/results.json and prints a table.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from . import server

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.json"
PAGE_ROWS = 100


def wrk(base, path, session_key, seconds, connections, *, min_requests=5):
    """One wrk run; a run too short to complete a few requests is repeated twice as long."""
    result = _wrk(base, path, session_key, seconds, connections)
    while result["requests"] < min_requests and seconds < 60:
        seconds *= 2
        result = _wrk(base, path, session_key, seconds, connections)
    return result


def _wrk(base, path, session_key, seconds, connections):
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(BENCH_DIR / "report.lua"),
        "-H",
        f"Cookie: {server.SESSION_COOKIE}={session_key}",
    ]
    for name, value in server.PROXY_HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 — wrk with our own arguments
        [*command, base + path], capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    result = json.loads(line)
    if result["errors"] or result["bad_status"]:
        sys.exit(f"{path}: {result['errors']} errors, {result['bad_status']} bad statuses")
    return result


def http_pair(base, name, side_a, side_b, goal, *, rounds, seconds, connections):
    """side_a and side_b: (path, session key). Alternates A B, B A, … `rounds` times."""
    load_before = os.getloadavg()[0]
    for path, key in (side_a, side_b):
        status, _body = server.fetch(base, path, key)
        if status != 200:
            sys.exit(f"{path} answered {status}, not 200: is the database seeded?")
        wrk(base, path, key, 1, connections, min_requests=1)  # warm-up: caches, plans
    a_runs, b_runs, ratios = [], [], []
    for index in range(rounds):
        sides = [("a", side_a), ("b", side_b)]
        if index % 2:
            sides.reverse()
        got = {label: wrk(base, *side, seconds, connections) for label, side in sides}
        a_runs.append(got["a"])
        b_runs.append(got["b"])
        ratios.append(got["a"]["p50_us"] / got["b"]["p50_us"])
    requests = sum(run["requests"] for run in a_runs)
    duration = sum(run["duration_us"] for run in a_runs) / 1e6
    return {
        "name": name,
        "ratio": round(statistics.median(ratios), 3),
        "goal": goal,
        "p50_ms": round(statistics.median(run["p50_us"] for run in a_runs) / 1000, 2),
        "p95_ms": round(statistics.median(run["p95_us"] for run in a_runs) / 1000, 2),
        "rps": round(requests / duration, 1),
        "baseline_p50_ms": round(statistics.median(run["p50_us"] for run in b_runs) / 1000, 2),
        "runs": rounds,
        "pages": [side_a[0], side_b[0]],
        # The machine is shared: the one-minute load average before and after the pair.
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def page_pairs(base, sessions, counts, **options):
    admin, big, small = sessions["admin"], sessions["big"], sessions["small"]
    lists = [
        (
            "consultant directory",
            "/consultants/",
            "/admin/survivors/consultantprofile/?is_listed__exact=1",
            "/bench/floor/directory/",
            f"/consultants/?{counts['directory_small_query']}",
        ),
        (
            "engagement list",
            "/engagements/?status=all",
            "/admin/survivors/engagement/",
            "/bench/floor/engagements/",
            None,
        ),
        (
            "compensation list",
            "/engagements/compensation/",
            "/admin/survivors/compensation/",
            "/bench/floor/compensation/",
            None,
        ),
    ]
    for label, page, changelist, floor, small_page in lists:
        yield (
            http_pair(
                base,
                f"{label} vs admin changelist",
                (page, admin),
                (changelist, admin),
                1.0,
                **options,
            )
        )
        yield (
            http_pair(
                base, f"{label} vs framework floor", (page, admin), (floor, admin), 1.5, **options
            )
        )
        if small_page:  # the directory: all listed consultants against a filter that keeps ~100
            large, few = (page, big), (small_page, big)
        else:  # a coordinator of the largest partnership against one of a small partnership
            large, few = (page, big), (page, small)
        result = http_pair(
            base, f"{label} at 10,000 rows vs at 100 rows", large, few, 1.2, **options
        )
        result["rows"] = counts[label]
        yield result


def row_counts():
    """How many rows each side of the 10,000-vs-100 pairs lists (printed with the results)."""
    from django.db.models import Count

    from survivors.models import Compensation, ConsultantProfile, Engagement
    from toolkit_portal.models import User

    big = User.objects.get(email="scale-coordinator-0@scale.example")
    small = User.objects.get(email="scale-coordinator-1@scale.example")
    listed = ConsultantProfile.objects.listed()
    # A language and an availability that together keep about a hundred listed consultants.
    combinations = (
        listed.extra(select={"language": "unnest(languages)"})
        .values("language", "availability")
        .annotate(n=Count("id"))
        .order_by()
    )
    best = min(
        (row for row in combinations if row["language"] != "English"),
        key=lambda row: abs(row["n"] - 100),
    )
    language, availability = best["language"], best["availability"]
    few = listed.matching({"language": language, "availability": availability}).count()
    return {
        "directory_small_query": f"language={language}&availability={availability}",
        "consultant directory": {"large": listed.count(), "small": few},
        "engagement list": {
            "large": Engagement.objects.managed_by(big).count(),
            "small": Engagement.objects.managed_by(small).count(),
        },
        "compensation list": {
            "large": Compensation.objects.managed_by(big).count(),
            "small": Compensation.objects.managed_by(small).count(),
        },
    }


def print_table(measurements):
    print()
    print(f"{'measurement':58} {'ratio':>7} {'goal':>5} {'p50 ms':>8} {'p95 ms':>8} {'rps':>7}")
    for m in measurements:
        verdict = "ok" if m["ratio"] <= m["goal"] else "MISSED"
        print(
            f"{m['name']:58} {m['ratio']:7.2f} {m['goal']:5.1f} {m['p50_ms']:8.1f} "
            f"{m['p95_ms']:8.1f} {m['rps']:7.1f}  {verdict}"
        )


def markdown_table(measurements):
    lines = [
        "| measurement | ratio | goal | p50 ms | p95 ms | rps |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in measurements:
        verdict = "" if m["ratio"] <= m["goal"] else " (missed)"
        lines.append(
            f"| {m['name']} | {m['ratio']:.2f}{verdict} | ≤ {m['goal']:.1f} | {m['p50_ms']:.1f} "
            f"| {m['p95_ms']:.1f} | {m['rps']:.1f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--only", default="", help="pages, sweep, catalog or report (default: all)")
    parser.add_argument("--output", default=str(RESULTS))
    parser.add_argument("--port", type=int, help="gunicorn's port (default: a free one)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if args.only in ("", "pages") and not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk).")

    server.setup_django()
    from toolkit_portal.models import User

    from . import inprocess

    env = server.production_env()
    try:
        users = {
            "admin": User.objects.get(email="scale-admin@scale.example"),
            "big": User.objects.get(email="scale-coordinator-0@scale.example"),
            "small": User.objects.get(email="scale-coordinator-1@scale.example"),
        }
    except User.DoesNotExist:
        sys.exit("The database holds no seeded data: run `manage.py seed_scale` first.")
    measurements = []
    if args.only in ("", "pages"):
        server.collectstatic(env)
        sessions = {name: server.signed_in_session(user) for name, user in users.items()}
        counts = row_counts()
        print("rows listed:", json.dumps({k: v for k, v in counts.items() if k[0] != "d"}))
        options = {"rounds": args.rounds, "seconds": args.seconds, "connections": args.connections}
        with server.Gunicorn(env, port=args.port) as gunicorn:
            for result in page_pairs(gunicorn.base, sessions, counts, **options):
                measurements.append(result)
                print_table([result])
    if args.only in ("", "sweep"):
        result = inprocess.sweep_pair(rounds=args.rounds)
        measurements.append(result)
        print_table([result])
        print("  rows inserted:", result["rows_inserted"], "of", result["requests"], "requests")
    if args.only in ("", "catalog"):
        result = inprocess.catalog_pair(rounds=max(args.rounds, 9))
        measurements.append(result)
        print_table([result])
    if args.only in ("", "report"):
        from . import reports

        result = reports.report_pair(rounds=max(args.rounds, 7))
        measurements.append(result)
        print_table([result])
        print("  statements:", result["queries"])
    output = Path(args.output)
    if args.only and output.exists():
        # A partial run replaces its own measurements and keeps the others of the last run.
        mine = {m["name"] for m in measurements}
        kept = [m for m in json.loads(output.read_text())["measurements"] if m["name"] not in mine]
        measurements = kept + measurements
    output.write_text(json.dumps({"measurements": measurements}, indent=2) + "\n")
    print_table(measurements)
    print()
    print(markdown_table(measurements))
    print(f"\nwritten to {args.output}")
    missed = [m["name"] for m in measurements if m["ratio"] > m["goal"]]
    if missed:
        print("goals missed:", "; ".join(missed))
        sys.exit(1)


if __name__ == "__main__":
    main()
