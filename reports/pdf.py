"""The report as a PDF, drawn on the server by WeasyPrint.

Text stays text (selectable and searchable) in DejaVu Sans, shipped in static/fonts/ with
its licence; the document is tagged (PDF/UA-1: headings, tables and the language of the
text), and nothing is fetched from outside: only the shipped font and stylesheet are read.
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

FONT_FILES = {
    "regular": "fonts/DejaVuSans.ttf",
    "bold": "fonts/DejaVuSans-Bold.ttf",
}
STYLESHEET = "css/report-pdf.css"


def _local(path):
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(found).resolve()


def _fetcher(allowed):
    """A URL fetcher that reads only the given local files: nothing from the network."""
    from weasyprint.urls import URLFetcher

    class OwnFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.split("?")[0] not in allowed:
                raise ValueError(f"The report PDF reads only its own files, not {url[:80]!r}.")
            return super().fetch(url, headers)

    return OwnFilesOnly(allowed_protocols={"file"})


def render(report):
    from weasyprint import CSS, HTML

    fonts = {name: _local(path).as_uri() for name, path in FONT_FILES.items()}
    stylesheet = _local(STYLESHEET)
    html = render_to_string(
        "reports/report_pdf.html",
        {"report": report, "fonts": fonts, "language": translation.get_language() or "en"},
    )
    fetcher = _fetcher(set(fonts.values()) | {stylesheet.as_uri()})
    document = HTML(string=html, base_url=str(stylesheet.parent), url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[CSS(filename=str(stylesheet), url_fetcher=fetcher)],
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
    )
