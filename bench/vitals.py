"""`make vitals`: Lighthouse's mobile simulation over the pages a visitor and a consultant open.

    DATABASE_URL=… REDIS_URL=… python -m bench.vitals [--runs 3] [--only /trainings/]

The database holds the demo data (`manage.py load_demo`, under development settings: it is
refused in production). gunicorn serves the production settings on loopback, as `bench`
does (bench/server.py: throwaway secrets, `X-Forwarded-Proto: https` as the TLS proxy sends
it, static files collected and compressed by whitenoise). Lighthouse (npm, package.json)
drives Debian's Chromium with the flags of the browser tests; the consultant's pages carry a
session made on the server, sent as a `Cookie` header (`--extra-headers`).

Writes bench/vitals.json: per page the four category scores, first and largest contentful
paint, total blocking time, cumulative layout shift (each the median over the runs when
--runs > 1, with every run's kept), the audits that did not pass in full, and the load
average around the run. Prints a table.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.browser import chromium

from . import server

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "vitals.json"
LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# The browser tests' flags (STACK-NOTES.md).
CHROME_FLAGS = ["--headless=new", *chromium.FLAGS]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "si_ms": "speed-index",
}
CONSULTANT = "consultant@demo.local"
# (name, path or None for the first published training, signed in as the consultant)
PAGES = [
    ("home", "/", False),
    ("training catalog", "/trainings/", False),
    ("a training", None, False),
    ("partnerships", "/partnerships/", False),
    ("statewide coverage", "/partnerships/coverage/", False),
    ("sign in", "/accounts/login/", False),
    ("sign up", "/accounts/signup/", False),
    ("consultant: profile", "/me/profile/", True),
    ("consultant: requests", "/me/requests/", True),
    ("consultant: compensation", "/me/compensation/", True),
]
GOALS = {"performance": 100, "seo": 100, "fcp_ms": 1200}


def production_env():
    """bench's production environment, with the project's own settings and URLs (not the
    bench's reference views) and the proxy count `make check-deploy` uses."""
    env = server.production_env()
    env["DJANGO_SETTINGS_MODULE"] = "portal_site.settings"
    env["TRUSTED_PROXY_COUNT"] = env.get("TRUSTED_PROXY_COUNT") or "1"
    # Lighthouse fetches /robots.txt without the extra headers, so without the proxy's
    # X-Forwarded-Proto: the redirect to https (the TLS proxy's job in front of a deployment)
    # would answer it with a 301 and leave the SEO category unscored.
    env["SECURE_SSL_REDIRECT"] = "false"
    return env


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def first_training_path():
    from trainings.models import Training

    training = Training.objects.filter(is_published=True).order_by("title").first()
    if training is None:
        sys.exit("No published training: load the demo data first (manage.py load_demo).")
    return training.get_absolute_url()


def consultant_session():
    from toolkit_portal.models import User

    try:
        user = User.objects.get(email=CONSULTANT)
    except User.DoesNotExist:
        sys.exit(f"No {CONSULTANT}: load the demo data first (manage.py load_demo).")
    return server.signed_in_session(user)


def lighthouse(url, headers, output):
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        f"--extra-headers={json.dumps(headers)}",
    ]
    subprocess.run(  # noqa: S603 — our own lighthouse command
        command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300
    )
    return json.loads(Path(output).read_text())


def summarise(report):
    if report.get("runtimeError"):
        sys.exit(f"Lighthouse could not measure {report['requestedUrl']}: {report['runtimeError']}")
    audits = report["audits"]
    result = {
        category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES
    }
    for name, audit in METRICS.items():
        value = audits[audit]["numericValue"]
        result[name] = round(value, 3) if name == "cls" else round(value)
    result["final_url"] = report["finalDisplayedUrl"]
    # What kept a category from full marks, or what Lighthouse still points at.
    result["not_passed"] = sorted(
        audit_id
        for category in CATEGORIES
        for ref in report["categories"][category]["auditRefs"]
        if (audit_id := ref["id"]) in audits
        and audits[audit_id]["score"] is not None
        and audits[audit_id]["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
        and audits[audit_id]["score"] < 1
    )
    return result


def median_run(runs):
    """Each score and metric's median over the runs (low median: a value some run measured);
    the audits not passed in any run."""
    keys = [*CATEGORIES, *METRICS]
    result = {key: statistics.median_low([run[key] for run in runs]) for key in keys}
    result["final_url"] = runs[0]["final_url"]
    result["not_passed"] = sorted({audit for run in runs for audit in run["not_passed"]})
    return result


def misses(page):
    found = [
        f"{key} {page[key]} < {goal}"
        for key, goal in GOALS.items()
        if key != "fcp_ms" and page[key] < goal
    ]
    if page["fcp_ms"] >= GOALS["fcp_ms"]:
        found.append(f"first contentful paint {page['fcp_ms']} ms ≥ {GOALS['fcp_ms']} ms")
    return found


def markdown_table(pages):
    lines = [
        "| page | performance | accessibility | best practices | SEO | FCP ms | LCP ms "
        "| TBT ms | CLS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in pages:
        lines.append(
            f"| {page['name']} (`{page['path']}`) | {page['performance']} | "
            f"{page['accessibility']} | {page['best-practices']} | {page['seo']} | "
            f"{page['fcp_ms']} | {page['lcp_ms']} | {page['tbt_ms']} | {page['cls']} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs a page (median)")
    parser.add_argument("--only", default="", help="one path, e.g. /trainings/")
    parser.add_argument("--output", default=str(RESULTS))
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--no-collectstatic", action="store_true", help="static files are collected already"
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make vitals` (npm ci installs it).")
    if not shutil.which(CHROMIUM):
        sys.exit(f"Chromium is needed at {CHROMIUM} (apt-get install chromium) or CHROME_PATH.")

    env = production_env()
    setup_django(env)
    training = first_training_path()
    session = consultant_session()
    if not args.no_collectstatic:
        server.collectstatic(env)

    pages = [(name, path or training, signed_in) for name, path, signed_in in PAGES]
    if args.only:
        pages = [page for page in pages if page[1] == args.only]
        if not pages:
            sys.exit(f"{args.only} is not one of the pages measured.")
    load_before = os.getloadavg()
    results = []
    # Lighthouse's whole reports stay beside the run's other files, to read an audit's details.
    reports = BASE_DIR / "var" / "vitals"
    reports.mkdir(parents=True, exist_ok=True)
    with server.Gunicorn(env, port=args.port) as gunicorn:
        for name, path, signed_in in pages:
            headers = dict(server.PROXY_HEADERS)
            if signed_in:
                headers["Cookie"] = f"{server.SESSION_COOKIE}={session}"
            runs = []
            for number in range(args.runs):
                slug = "-".join(filter(None, path.split("/"))) or "home"
                output = reports / f"{slug}-{number}.json"
                report = lighthouse(gunicorn.base + path, headers, output)
                runs.append(summarise(report))
            page = {"name": name, "path": path, **median_run(runs)}
            if len(runs) > 1:
                page["runs"] = [
                    {key: run[key] for key in ("performance", "fcp_ms", "lcp_ms", "tbt_ms")}
                    for run in runs
                ]
            ended = {run["final_url"] for run in runs} - {gunicorn.base + path}
            if ended:
                sys.exit(f"{path} ended at {', '.join(ended)}: not the page asked for.")
            results.append(page)
            print(
                f"{name:26} perf {page['performance']:3}  a11y {page['accessibility']:3}  "
                f"bp {page['best-practices']:3}  seo {page['seo']:3}  FCP {page['fcp_ms']:5} ms  "
                f"LCP {page['lcp_ms']:5} ms  TBT {page['tbt_ms']:4} ms  CLS {page['cls']}"
                + (f"  (not passed: {', '.join(page['not_passed'])})" if page["not_passed"] else "")
            )
    load_after = os.getloadavg()
    version = subprocess.run(  # noqa: S603
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    chromium = subprocess.run(  # noqa: S603
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    output = {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "lighthouse": version,
        "chromium": chromium,
        "settings": "DJANGO_ENV=production, gunicorn on loopback, mobile simulation (default)",
        "runs_per_page": args.runs,
        "load_average": {
            "before": [round(value, 2) for value in load_before],
            "after": [round(value, 2) for value in load_after],
        },
        "goals": GOALS,
        "pages": results,
    }
    Path(args.output).write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
    print()
    print(markdown_table(results))
    print(
        f"\nload average (1, 5, 15 min): before {output['load_average']['before']}, "
        f"after {output['load_average']['after']}; written to {args.output}"
    )
    missed = [f"{page['path']}: {'; '.join(found)}" for page in results if (found := misses(page))]
    if missed:
        print("goals missed:\n  " + "\n  ".join(missed))
        sys.exit(1)
    print("every goal met")


if __name__ == "__main__":
    main()
