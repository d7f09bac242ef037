"""The figures of a report against values worked out by hand (tests/reports/fixed_data.py)."""

from decimal import Decimal

import pytest

from reports import figures, periods
from reports.suppression import COLLAPSED, SHOWN, SMALL, WITHHELD

from .disclosure import report_reveals_nothing, tables_reveal_nothing
from .fixed_data import build


@pytest.fixture
def report(partnership_x, coordinator):
    build(partnership_x, coordinator)
    return figures.build_report(partnership_x, periods.quarter(2025, 1))


def table(report, key):
    return next(t for t in report.tables() if t.key == key)


def fig(report, key, row, measure=0):
    t = table(report, key)
    found = t.total if row == "total" else next(r for r in t.rows if r.key == row)
    return found.figures[measure]


def values(f):
    return (f.now.state, f.now.value, f.previous.state, f.previous.value)


def test_the_previous_period_is_the_quarter_before(report):
    assert report.period.code == "2025-Q1" and report.previous.code == "2024-Q4"


def test_inclusion(report):
    # A: 3 engagements, B: 1, C: 1 in the quarter; A, B, C, D once each before.
    assert values(fig(report, "inclusion", "consultants")) == (SHOWN, 3, SHOWN, 4)
    assert fig(report, "inclusion", "consultants").change.value == -1
    assert values(fig(report, "inclusion", "engagements")) == (SHOWN, 5, SHOWN, 4)
    assert values(fig(report, "inclusion", "concentration")) == (SHOWN, 0.6, SHOWN, 0.25)
    assert values(fig(report, "inclusion", "single_seat")) == (SHOWN, 1, SHOWN, 0)
    assert values(fig(report, "inclusion", "hours")) == (SHOWN, Decimal(10), SHOWN, Decimal(4))
    assert fig(report, "inclusion", "preparation").now.value == Decimal(5)
    assert fig(report, "inclusion", "travel").now.value == Decimal("1.5")


def test_engagements_by_kind_hide_every_small_count_but_keep_the_total(report):
    # consultation 2, panel 1, training 2: each could be 1 or 2 given the total of 5.
    assert values(fig(report, "engagements_by_kind", "consultation")) == (SMALL, None, SHOWN, 4)
    assert fig(report, "engagements_by_kind", "panel").now.state == SMALL
    assert fig(report, "engagements_by_kind", "training").now.state == SMALL
    assert values(fig(report, "engagements_by_kind", "mentoring")) == (SHOWN, 0, SHOWN, 0)
    assert values(fig(report, "engagements_by_kind", "total")) == (SHOWN, 5, SHOWN, 4)
    # 4 before, 2 now: the change beside a hidden figure is withheld.
    assert fig(report, "engagements_by_kind", "consultation").change.state == WITHHELD


def test_engagements_by_role_have_no_total(report):
    t = table(report, "engagements_by_role")
    assert t.total is None
    assert values(fig(report, "engagements_by_role", "feedback")) == (SMALL, None, SHOWN, 4)
    assert values(fig(report, "engagements_by_role", "training")) == (SHOWN, 3, SHOWN, 0)


def test_requests_by_answer(report):
    # Sent 8: accepted 5, declined 1, expired 1, pending 1. The three 1s add up to 3 only one
    # way, so the rest of the column is withheld too.
    states = [f.figures[0].now.state for f in table(report, "requests").rows]
    assert states == [WITHHELD, SMALL, SMALL, WITHHELD, WITHHELD, SMALL]
    assert values(fig(report, "requests", "total")) == (SHOWN, 8, SHOWN, 4)
    assert values(fig(report, "requests", "accepted"))[2:] == (SHOWN, 4)


def test_pay(report):
    # Owed for work completed in the quarter: 150 + 150 + 200 + 200, to three consultants.
    assert values(fig(report, "pay", "owed")) == (SHOWN, Decimal(700), SHOWN, Decimal(400))
    # Paid in the quarter: 500 to two consultants: withheld. Before: 4 × 100 to four.
    assert values(fig(report, "pay", "paid")) == (SMALL, None, SHOWN, Decimal(400))
    assert fig(report, "pay", "paid").change.state == WITHHELD
    assert values(fig(report, "pay", "expenses")) == (SMALL, None, SHOWN, Decimal(0))
    assert values(fig(report, "pay", "overdue")) == (SMALL, None, SHOWN, 0)
    assert fig(report, "pay", "overdue_amount").now.state == SMALL
    # Days from completion to payment before: 10, 20, 30, 40.
    assert values(fig(report, "pay", "median_days")) == (SMALL, None, SHOWN, 25.0)
    assert values(fig(report, "pay", "p90_days")) == (SMALL, None, SHOWN, 37.0)


def test_payments_by_method(report):
    check, deposit = (
        fig(report, "payments_by_method", "check"),
        fig(report, "payments_by_method", "direct_deposit"),
    )
    assert check.now.state == SMALL and deposit.now.state == SMALL
    # Their amounts are hidden with them; the total amount rests on two people: hidden too.
    assert fig(report, "payments_by_method", "check", 1).now.value is None
    assert values(fig(report, "payments_by_method", "total")) == (SHOWN, 3, SHOWN, 4)
    assert fig(report, "payments_by_method", "total", 1).now.state == SMALL
    # Before: check 2 (200), direct deposit 1, gift card 1: the two 1s and the 2 are small.
    assert fig(report, "payments_by_method", "check").previous.state == SMALL
    assert fig(report, "payments_by_method", "total", 1).previous.value == Decimal(400)


def test_training_counts_staff_only(report):
    # The coordinator's 4 hours and the member's 2; consultant A's 8 hours are hers.
    assert values(fig(report, "training", "records")) == (SHOWN, 2, SHOWN, 0)
    assert values(fig(report, "training", "hours")) == (SHOWN, Decimal(6), SHOWN, Decimal(0))
    assert fig(report, "training", "people").now.value == 2
    assert fig(report, "training", "rating").now.value == 4.0
    assert fig(report, "training", "sessions_held").now.value == 1
    assert fig(report, "training_by_key_area", "governance").now.value == 2
    assert fig(report, "training_by_key_area", "governance", 1).now.value == Decimal(6)
    assert fig(report, "training_by_key_area", "policy").now.value == 0
    assert fig(report, "training_by_principle", "safety").now.value == 2


def test_progress_and_key_area_means(report):
    assert fig(report, "progress", "rounds_closed").now.value == 1
    means = table(report, "key_area_means")
    assert means.measures == ["Q4 2024", "Q1 2025"]
    governance = next(r for r in means.rows if r.key == "governance")
    assert [c.value for c in governance.figures] == [None, 3.0]
    assert report.heat["rows"][0]["cells"][1]["mean"] == 3.0


def test_recommendations(report):
    states = [r.figures[0].now.state for r in table(report, "recommendations").rows]
    assert states == [SMALL, SMALL, SMALL, SHOWN]
    assert values(fig(report, "recommendations", "total")) == (SHOWN, 4, SHOWN, 0)


def test_the_chart_protects_its_bars_against_the_period_total(report):
    bars = report.bars["bars"]
    # Months of Q4 2024 and Q1 2025: November 4 (shown); February 5 with January and March 0.
    assert [b["label"] for b in bars][:3] == ["Oct 2024", "Nov 2024", "Dec 2024"]
    assert [b["value"] for b in bars] == [0, 4, 0, 0, 5, 0]


def test_no_hidden_value_can_be_worked_out_in_any_table(report):
    assert tables_reveal_nothing(report) == []
    # Nor from the other tables, the chart and the other period.
    assert report_reveals_nothing(report, amount_unit=50, amount_bound=20) == []


def test_a_total_of_one_or_two_breaks_nothing_down(partnership_x, coordinator):
    build(partnership_x, coordinator)
    report = figures.build_report(partnership_x, periods.parse({"period": "2025-Q2"}))
    kinds = table(report, "engagements_by_kind")
    assert kinds.total.figures[0].now.value == 0
    report = figures.build_report(
        partnership_x, periods.parse({"start": "2025-02-11", "end": "2025-02-13"})
    )
    kinds = table(report, "engagements_by_kind")
    assert kinds.total.figures[0].now.state == SMALL
    assert {r.figures[0].now.state for r in kinds.rows} == {COLLAPSED}


def test_the_state_report_adds_up_every_partnership(partnership_x, partnership_y, coordinator):
    build(partnership_x, coordinator)
    report = figures.build_report(None, periods.quarter(2025, 1), state_name="Colorado")
    assert report.scope == "Colorado"
    assert fig(report, "inclusion", "engagements").now.value == 5
    assert fig(report, "pay", "owed").now.value == Decimal(700)
