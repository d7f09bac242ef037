"""Report pages: validate the period, check access, ask reports.figures, render.

A coordinator reports on the partnerships they coordinate (another's: 404); the statewide
report is for admins only (403 for everyone else signed in). A PDF belongs to the person who
asked for it: anyone else, admins included, is told it does not exist.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST, require_safe

from toolkit_portal.access import approved_coordinator_required
from toolkit_portal.downloads import as_download
from toolkit_portal.storage import serve_private_file
from toolkit_portal.view_helpers import coordinated_or_404

from . import exports, figures, periods, services
from . import sources as s
from .models import ReportFile

CHARTS = {"engagements": "reports/_chart_bars.html", "key-areas": "reports/_chart_heat.html"}


def admin_required(view):
    """Admins who passed MFA; every other signed-in person gets 403."""

    @approved_coordinator_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_portal_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class Scope:
    """The partnership a report is about (None: the state) and the names of its addresses."""

    def __init__(self, partnership):
        self.partnership = partnership
        self.namespace = "reports" if partnership else "statereports"
        self.kwargs = {"slug": partnership.slug} if partnership else {}
        self.slug = partnership.slug if partnership else "state"

    def url(self, name, **kwargs):
        return reverse(f"{self.namespace}:{name}", kwargs={**self.kwargs, **kwargs})


def _scoped(view, *, state):
    """The view for a partnership (slug in the address) or for the state."""
    if state:

        @require_safe
        @admin_required
        def state_view(request, **kwargs):
            return view(request, Scope(None), **kwargs)

        return state_view

    @require_safe
    @approved_coordinator_required
    def partnership_view(request, slug, **kwargs):
        return view(
            request, Scope(coordinated_or_404(request, s.Partnership.objects, slug=slug)), **kwargs
        )

    return partnership_view


def _report(request, scope):
    """(period, report, error): the report of the asked period, or the error to show."""
    try:
        period = periods.parse(request.GET)
    except periods.PeriodError as error:
        return None, None, str(error)
    report = figures.build_report(scope.partnership, period, state_name=services.state_name())
    return period, report, ""


def report_page(request, scope):
    period, report, error = _report(request, scope)
    query = f"?{period.query()}" if period else ""
    recent = list(
        ReportFile.objects.of(request.user)
        .filter(partnership=scope.partnership)
        .order_by("-created_at")[:5]
    )
    for report_file in recent:
        report_file.status_url = scope.url("pdf-status", pk=report_file.pk)
    context = {
        "urls": {
            "pdf": scope.url("pdf"),
            "csv": scope.url("csv") + query,
            "chart_engagements": scope.url("chart", chart="engagements") + query,
            "chart_key_areas": scope.url("chart", chart="key-areas") + query,
        },
        "scope": scope,
        "report": report,
        "error": error,
        "period": period,
        "period_choices": periods.choices(),
        "partnership": scope.partnership,
        "recent_files": recent,
    }
    return render(request, "reports/report.html", context, status=400 if error else 200)


def report_csv(request, scope):
    period, report, error = _report(request, scope)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    keys = {table.key for table in report.tables()}
    table = request.GET.get("table") or None
    if table and table not in keys:
        raise Http404
    name = f"report-{scope.slug}-{period.slug()}{'-' + table if table else ''}.csv"
    return exports.report_csv(report, name, table)


def report_chart(request, scope, chart):
    if chart not in CHARTS:
        raise Http404
    period, report, error = _report(request, scope)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    svg = render_to_string(CHARTS[chart], {"report": report, "standalone": True})
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    return as_download(response, f"report-{scope.slug}-{period.slug()}-{chart}.svg")


def _file(request, scope, pk):
    files = ReportFile.objects.of(request.user).filter(partnership=scope.partnership)
    return get_object_or_404(files, pk=pk)


def pdf_status(request, scope, pk):
    report_file = _file(request, scope, pk)
    return render(
        request,
        "reports/pdf_status.html",
        {"scope": scope, "report_file": report_file, "partnership": scope.partnership},
    )


def pdf_download(request, scope, pk):
    report_file = _file(request, scope, pk)
    if not report_file.is_ready():
        raise Http404
    response = serve_private_file(
        report_file.file, filename=report_file.download_name(), content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    return response


partnership_report = _scoped(report_page, state=False)
partnership_csv = _scoped(report_csv, state=False)
partnership_chart = _scoped(report_chart, state=False)
partnership_pdf_status = _scoped(pdf_status, state=False)
partnership_pdf_download = _scoped(pdf_download, state=False)
state_report = _scoped(report_page, state=True)
state_csv = _scoped(report_csv, state=True)
state_chart = _scoped(report_chart, state=True)
state_pdf_status = _scoped(pdf_status, state=True)
state_pdf_download = _scoped(pdf_download, state=True)


def _request_pdf(request, scope):
    try:
        period = periods.parse(request.POST)
    except periods.PeriodError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    report_file = services.request_report_pdf(
        actor=request.user,
        partnership=scope.partnership,
        period=period,
        language=translation.get_language(),
    )
    return redirect(scope.url("pdf-status", pk=report_file.pk))


@require_POST
@approved_coordinator_required
def partnership_pdf(request, slug):
    return _request_pdf(
        request, Scope(coordinated_or_404(request, s.Partnership.objects, slug=slug))
    )


@require_POST
@admin_required
def state_pdf(request):
    return _request_pdf(request, Scope(None))
