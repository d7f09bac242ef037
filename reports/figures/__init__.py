"""The figures of a report, as plain data: what a funder's or board's report shows.

`build_report(partnership, period)` reads the apps below through their models (never
writing), for the period and the one before it, and returns a `Report` whose tables are
already protected (`reports.suppression`): a hidden figure's value is not in it at all, so
no template, CSV or PDF can show it by mistake. `partnership=None` is the whole state.

Every figure is an aggregate computed by PostgreSQL; a report runs the same number of
queries however many rows it covers (`tests/reports/test_views.py` pins it). One module a
section (inclusion, pay, training, progress, recommendations: "you said, we did"), each with
its queries and its tables; `report.py` puts them together.
"""

from .report import Raw, Report, assemble, buckets, build_report, gather

__all__ = ["Raw", "Report", "assemble", "buckets", "build_report", "gather"]
