"""In a real browser: a coordinator opens the partnership's report for a quarter, prints it
(Chromium's own print to PDF), builds the server's PDF and downloads every format. axe-core
checks each page; no script may be refused by the CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_no_script_blocked,
    check_accessibility,
    enter_totp_code,
    sign_in_with_password,
)
from tests.reports.fixed_data import NAMES, build

pytestmark = pytest.mark.browser


def test_a_coordinator_reads_prints_and_downloads_the_report(
    page, recorder, coordinator, partnership_x, tmp_path
):
    build(partnership_x, coordinator)
    page.goto("/accounts/login/")
    sign_in_with_password(page, coordinator.email)
    enter_totp_code(page)
    page.goto("/partnerships/partnership-x/")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report for funders and board")
    page.get_by_label("Period", exact=True).select_option(label="Quarter 1 of 2025")
    page.get_by_role("button", name="Show this period").click()
    expect(page).to_have_url(re.compile(r"period=2025-Q1"))
    kinds = page.locator("#table-engagements_by_kind")
    expect(kinds).to_contain_text("fewer than 3")
    expect(
        page.get_by_role("img", name=re.compile("Survivor engagements over time"))
    ).to_be_visible()
    check_accessibility(page)

    # The print button opens the browser's print dialog (window.print, from a static file).
    page.evaluate("window.__printed = false; window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="Print or save as PDF").click()
    assert page.evaluate("window.__printed") is True
    # Chromium's print to PDF, with the print stylesheet: no navigation, the tables kept.
    printed = page.pdf(format="Letter", print_background=True)
    assert printed.startswith(b"%PDF") and len(printed) > 5_000
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    page.emulate_media(media="screen")

    downloads = {}
    for label in ["Download every table (CSV)", "Engagements chart (SVG)", "Heat map (SVG)"]:
        with page.expect_download() as info:
            page.get_by_role("link", name=label).click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        downloads[info.value.suggested_filename] = path.read_bytes()
    assert set(downloads) == {
        "report-partnership-x-2025-Q1.csv",
        "report-partnership-x-2025-Q1-engagements.svg",
        "report-partnership-x-2025-Q1-key-areas.svg",
    }

    # The server's PDF: built by the task, then kept for this coordinator.
    page.get_by_role("button", name="Build a PDF file").click()
    expect(page.get_by_text("The PDF is ready.")).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    path = tmp_path / "server.pdf"
    info.value.save_as(path)
    downloads[info.value.suggested_filename] = path.read_bytes()
    assert downloads["report-partnership-x-2025-Q1.pdf"].startswith(b"%PDF")

    for content in [printed, *downloads.values()]:
        for display, legal in NAMES.values():
            assert display.encode() not in content and legal.encode() not in content
    assert_no_script_blocked(recorder)
