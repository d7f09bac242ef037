"""The statewide yearly report against the same aggregates as raw SQL (one process).

Side A is what the statewide report page does for last year: `reports.figures.build_report`
(every aggregate of the year and the year before, through the ORM, then the protection of
small numbers and the charts' geometry) and the report's HTML rendered from it. Side B runs
the very SQL statements side A sends to PostgreSQL (recorded once, then replayed with a
cursor) and fetches their rows: the database's share of the work, with no ORM, no Python
protection and no template. The ratio is the cost of everything above the SQL.
"""

import os
import time

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from .inprocess import measure_pair


def _report():
    from reports import figures, periods, services

    period = periods.year(timezone.localdate().year - 1)
    report = figures.build_report(None, period, state_name=services.state_name())
    return render_to_string("reports/_report_body.html", {"report": report})


def report_pair(rounds=7, repeat=3):
    load_before = os.getloadavg()[0]
    with translation.override("en"):
        _report()  # warm: templates compiled, plans cached
        with CaptureQueriesContext(connection) as captured:
            html = _report()
        statements = [query["sql"] for query in captured.captured_queries]

        def orm():
            started = time.perf_counter()
            for _n in range(repeat):
                _report()
            return (time.perf_counter() - started) / repeat

        def raw():
            started = time.perf_counter()
            for _n in range(repeat):
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
                        cursor.fetchall()
            return (time.perf_counter() - started) / repeat

        result = measure_pair(
            "statewide yearly report vs the same aggregates as raw SQL", orm, raw, rounds, 2.0
        )
    from reports import sources

    result["queries"] = len(statements)
    result["rows"] = {
        "partnerships": sources.Partnership.objects.count(),
        "participation requests": sources.ParticipationRequest.objects.count(),
        "compensation records": sources.Compensation.objects.count(),
    }
    result["html_bytes"] = len(html)
    # The machine is shared: the one-minute load average before and after the run.
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return result
