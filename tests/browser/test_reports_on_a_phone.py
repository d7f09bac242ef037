"""In a real browser: a report's tables read as cards on a phone and stay tables on a laptop
and on paper. At 390 px (classic scrollbars, as on Windows) the page never scrolls sideways
and each row is a card whose figures are each led by their column's name; at 1280 px and in
print the tables are tables."""

import pytest

from tests.browser.conftest import too_wide
from tests.browser.test_screens_that_fit import signed_in_context
from tests.reports.fixed_data import build

pytestmark = pytest.mark.browser

REPORT = "/partnerships/partnership-x/reports/?period=2025-Q1"

# For every table of the report: how its rows and cells are laid out, and for each figure
# whether it sits inside the window and shows its column's name before it.
LAYOUT = """() => {
    const edge = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll("table.report-table")).map((table) => {
        const rows = Array.from(table.querySelectorAll("tbody tr, tfoot tr"));
        const cells = Array.from(table.querySelectorAll("tbody td, tfoot td"));
        return {
            id: table.id,
            table: getComputedStyle(table).display,
            rows: [...new Set(rows.map((row) => getComputedStyle(row).display))],
            unnamed: cells.filter((td) => !td.dataset.label).length,
            outside: cells.filter((td) => {
                const box = td.getBoundingClientRect();
                return box.width && (box.left < 0 || box.right > edge + 0.5);
            }).length,
            named: cells.filter((td) =>
                getComputedStyle(td, "::before").content === JSON.stringify(td.dataset.label)
            ).length,
            cells: cells.length,
        };
    });
}"""


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_reports_tables_are_cards_on_a_phone_and_tables_elsewhere(
    classic_browser, live_server, transactional_db, coordinator, partnership_x, language
):
    build(partnership_x, coordinator)
    _client, context = signed_in_context(classic_browser, live_server, coordinator, language, 390)
    page = context.new_page()
    try:
        assert page.goto(REPORT).status == 200
        assert too_wide(page) is None
        tables = page.evaluate(LAYOUT)
        assert len(tables) >= 8
        for table in tables:
            assert table["cells"] and table["unnamed"] == 0, table
            assert table["table"] == "block" and table["rows"] == ["block"], table
            assert table["outside"] == 0, table
            assert table["named"] == table["cells"], table

        page.set_viewport_size({"width": 1280, "height": 800})
        assert too_wide(page) is None
        for table in page.evaluate(LAYOUT):
            assert table["table"] == "table" and table["rows"] == ["table-row"], table
            assert table["named"] == 0, table

        # Printed from the phone, the tables stay tables.
        page.set_viewport_size({"width": 390, "height": 800})
        page.emulate_media(media="print")
        for table in page.evaluate(LAYOUT):
            assert table["table"] == "table" and table["rows"] == ["table-row"], table
    finally:
        context.close()
