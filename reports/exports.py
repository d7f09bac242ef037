"""Every table of a report as CSV, through the portal's one CSV writer."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from toolkit_portal.downloads import csv_download

from .templatetags.report_cells import hidden_text


def _value(cell):
    """A number as a number; a hidden figure in words; nothing for no figure."""
    return hidden_text(cell.state) or cell.value


def write_tables(writer, report, tables):
    writer.writerow([_("Report"), report.scope])
    writer.writerow([_("Period"), report.period.label(), report.period.start, report.period.end])
    writer.writerow(
        [_("Previous period"), report.previous.label(), report.previous.start, report.previous.end]
    )
    writer.writerow([])
    writer.writerow(
        [
            _("Table"),
            _("Row"),
            _("Measure"),
            _("This period"),
            _("Previous period"),
            pgettext("difference from the previous period", "Change"),
        ]
    )
    for table in tables:
        rows = [*table.rows, *([table.total] if table.total else [])]
        for row in rows:
            if table.extra.get("matrix"):
                for measure, cell in zip(table.measures, row.figures, strict=True):
                    writer.writerow([table.title, row.label, measure, _value(cell), "", ""])
                continue
            for measure, fig in zip(table.measures, row.figures, strict=True):
                writer.writerow(
                    [
                        table.title,
                        row.label,
                        measure,
                        _value(fig.now),
                        _value(fig.previous),
                        _value(fig.change),
                    ]
                )


def report_csv(report, filename, table_key=None):
    tables = report.tables()
    if table_key:
        tables = [table for table in tables if table.key == table_key]
    response, writer = csv_download(filename)
    write_tables(writer, report, tables)
    return response
