"""Files the portal hands out: CSV that a spreadsheet shows as typed, and safe download headers.

Every CSV of the portal is written through `CsvWriter` (a test reads the source and fails when
a module calls `csv.writer` or `csv.DictWriter` itself), and every download's headers are set
by `as_download` (the same test refuses a `Content-Disposition` set anywhere else).

A spreadsheet runs a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
(after leading spaces) as a formula: `=HYPERLINK("http://evil.example","Maya R.")` typed as a
display name would arrive as a live link (CSV injection, OWASP). Such text is written with a
leading apostrophe, which spreadsheets read as "this is text"; `restore_cell` removes it when
the portal reads its own file back. Numbers (int, float, Decimal) are written as numbers, so a
negative amount stays a number.

One shape for every file, in every language, so a spreadsheet reads each column the same
way: dates ISO ("2027-01-04"), times ISO in the portal's time zone ("2027-01-04 16:30"),
numbers with a full stop and no thousands separator ("1234.50", no "$"). Words, the header
among them, are in the reader's language (pages show dates and amounts the language's way;
a file is for a spreadsheet, which reads ISO and plain numbers in any language).
"""

import csv
import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _runs(text):
    """Whether a spreadsheet would read the text as a formula."""
    return text.lstrip(" ").startswith(FORMULA_START)


def _escaped(text):
    # Text that already begins with apostrophes before a formula gets one more, so that
    # `restore_cell` always gives back exactly what was typed.
    return text.startswith("'") and _runs(text.lstrip("'"))


def _is_number(value):
    if isinstance(value, Decimal):
        return value.is_finite()
    # bool is an int: written as True/False, which no spreadsheet runs.
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def neutralise_cell(value):
    """The value as a cell a spreadsheet shows and never runs."""
    if value is None:
        return ""
    if _is_number(value):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if _runs(text) or _escaped(text) else text


def restore_cell(text):
    """What was typed, from a cell `neutralise_cell` wrote."""
    return text[1:] if _escaped(text) else text


class CsvWriter:
    """`csv.writer` whose every cell goes through `neutralise_cell`."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)  # the portal's only csv.writer

    def writerow(self, row):
        return self._writer.writerow([neutralise_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


# Downloads -------------------------------------------------------------------------------------

_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")
FILENAME_MAX_LENGTH = 120


def safe_filename(name, *, default="download"):
    """The name in ASCII letters, digits, dots, dashes and underscores, whatever was typed.

    Accents are dropped ("Asociación" gives "Asociacion"); quotes, slashes, semicolons, line
    breaks and anything else become a dash, so the name cannot end the header or add a
    parameter to it. The extension survives shortening.
    """
    ascii_name = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE_IN_FILENAME.sub("-", ascii_name).strip(".-_")
    if len(cleaned) > FILENAME_MAX_LENGTH:
        stem, dot, extension = cleaned.rpartition(".")
        if not dot or len(extension) > 10:
            stem, extension = cleaned, ""
        cleaned = stem[: FILENAME_MAX_LENGTH - len(extension) - 1].rstrip(".-_")
        cleaned = f"{cleaned}.{extension}" if extension else cleaned
    return cleaned or default


def download_disposition(filename):
    """The Content-Disposition value of a download: a file to save under a safe name (also
    asked of a bucket for the presigned address of a private file)."""
    return f'attachment; filename="{safe_filename(filename)}"'


def as_download(response, filename):
    """Mark the response as a file to save under a safe name, never a page to show."""
    response["Content-Disposition"] = download_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_download(filename):
    """An empty CSV download and the writer that fills it: `response, writer = csv_download(…)`."""
    response = as_download(HttpResponse(content_type="text/csv; charset=utf-8"), filename)
    return response, CsvWriter(response)
