"""Tables that share a population are protected together: no hidden figure can be worked out
from everything the report shows, across its tables, its chart and both periods.

Hypothesis makes up what the database would say (engagements with a kind, a month, roles and
a consultant; requests, payments, recommendations), the report is built from it as from the
database (`figures.assemble`), and the brute force of tests/reports/disclosure.py searches
every assignment of the hidden figures that agrees with all the report shows.
"""

from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reports import figures, periods
from reports import sources as s
from reports.suppression import (
    COLLAPSED,
    HIDDEN,
    SHOWN,
    SMALL,
    WITHHELD,
    population_possibilities,
    protect_amounts,
    protect_population,
)

from .disclosure import reader_domain, report_reveals_nothing

PERIOD = periods.quarter(2025, 1)
MONTHS = 3  # a quarter's chart has one bar a month
UNIT = 50  # every made-up payment is a multiple of $50
METHODS = [*s.PaymentMethod.values, ""]
REQUEST_STATUSES = s.ParticipationRequest.Status.values
RECOMMENDATION_STATUSES = s.Recommendation.Status.values

engagement = st.tuples(
    st.sampled_from(s.EngagementKind.values[:4]),
    st.integers(min_value=0, max_value=MONTHS - 1),
    st.sets(st.sampled_from(s.SurvivorRole.values[:4]), max_size=2),
    st.integers(min_value=0, max_value=5),  # which consultant
)
# Payments by method, each a consultant and an amount in units of $50: few per method, so
# that a method paid to one or two people beside others paid to many is common.
payments = st.fixed_dictionaries(
    {
        method: st.lists(
            st.tuples(st.integers(min_value=0, max_value=4), st.integers(min_value=1, max_value=3)),
            max_size=4,
        )
        for method in METHODS
    }
).map(lambda by: [(m, who, units) for m, paid in by.items() for who, units in paid])
period_data = st.fixed_dictionaries(
    {
        "engagements": st.lists(engagement, max_size=12),
        "requests": st.lists(st.sampled_from(REQUEST_STATUSES), max_size=10),
        "payments": payments,
        "recommendations": st.lists(st.sampled_from(RECOMMENDATION_STATUSES), max_size=6),
    }
)


def raw_figures(data):
    """What the database's aggregates would return for one period of this made-up data."""
    engaged = data["engagements"]
    per_consultant = Counter(who for _k, _m, _r, who in engaged)
    inclusion = {
        "engagements": len(engaged),
        "consultants": len(per_consultant),
        "completed_consultants": len(per_consultant),
        "hours": Decimal(2 * len(engaged)),
        "preparation": Decimal(len(engaged)),
        "travel": Decimal(0),
        "top": max(per_consultant.values(), default=0),
        "single_seat": 0,
        "requests": dict(Counter(data["requests"])),
    }
    for kind in s.EngagementKind.values:
        inclusion[f"kind:{kind}"] = sum(k == kind for k, _m, _r, _w in engaged)
    for role in s.SurvivorRole.values:
        inclusion[f"role:{role}"] = sum(role in roles for _k, _m, roles, _w in engaged)
    paid = data["payments"]
    pay = {
        "owed": Decimal(0),
        "owed_count": 0,
        "owed_consultants": 0,
        "paid": Decimal(UNIT * sum(units for _m, _w, units in paid)),
        "paid_count": len(paid),
        "paid_consultants": len({who for _m, who, _u in paid}),
        "expenses": Decimal(0),
        "overdue": 0,
        "overdue_amount": Decimal(0),
        "overdue_consultants": 0,
        "median_days": 10.0 if paid else None,
        "p90_days": 20.0 if paid else None,
    }
    for method in METHODS:
        mine = [(who, units) for m, who, units in paid if m == method]
        pay[f"method:{method}"] = len(mine)
        pay[f"method_amount:{method}"] = Decimal(UNIT * sum(units for _w, units in mine))
        pay[f"method_consultants:{method}"] = len({who for who, _u in mine})
    training = {"records": 0, "total_hours": Decimal(0), "people": 0, "rating": None}
    training.update({"ratings": 0, "sessions_held": 0})
    for prefix, values in (("area", s.KeyArea.values), ("principle", s.Principle.values)):
        for value in values:
            training[f"{prefix}:{value}"] = 0
            training[f"{prefix}_hours:{value}"] = Decimal(0)
    months = [sum(m == month for _k, m, _r, _w in engaged) for month in range(MONTHS)]
    return {
        "inclusion": inclusion,
        "pay": pay,
        "training": training,
        "progress": {"priorities": 0, "priority_goals_met": 0, "rounds_closed": 0, "goals_met": 0},
        "recommendations": dict(Counter(data["recommendations"])),
    }, months


def made_up_report(now_data, before_data):
    now, months_now = raw_figures(now_data)
    before, months_before = raw_figures(before_data)
    previous = PERIOD.previous()
    raw = figures.Raw(
        period=PERIOD,
        previous=previous,
        now=now,
        before=before,
        previous_buckets=figures.buckets(previous),
        current_buckets=figures.buckets(PERIOD),
        over_time=months_before + months_now,
        area_means={},
    )
    return figures.assemble(raw, "Made-up partnership")


@settings(max_examples=200, deadline=None)
@given(period_data, period_data)
def test_no_hidden_figure_can_be_worked_out_from_the_whole_report(now_data, before_data):
    report = made_up_report(now_data, before_data)
    biggest = max(len(d[key]) for d in (now_data, before_data) for key in d)
    payments = max(sum(u for _m, _w, u in d["payments"]) for d in (now_data, before_data))
    problems = report_reveals_nothing(
        report, bound=biggest + 2, amount_unit=UNIT, amount_bound=payments + 2
    )
    assert problems == []


def test_the_summary_the_kinds_and_the_chart_give_the_engagements_one_state():
    # Two engagements: the summary says "fewer than 3", and no table or bar breaks them down.
    report = made_up_report(
        {"engagements": [("panel", 0, {"advocacy"}, 1), ("training", 1, set(), 2)],
         "requests": [], "payments": [], "recommendations": []},
        {"engagements": [], "requests": [], "payments": [], "recommendations": []},
    )  # fmt: skip
    tables = {t.key: t for t in report.tables()}
    summary = next(r for r in tables["inclusion"].rows if r.key == "engagements")
    kinds = tables["engagements_by_kind"]
    assert summary.figures[0].now.state == kinds.total.figures[0].now.state == SMALL
    assert {r.figures[0].now.state for r in kinds.rows} == {COLLAPSED}
    now_bars = [b for b in report.bars["bars"] if b["which"] == "now"]
    assert {b["state"] for b in now_bars} == {COLLAPSED}
    assert report_reveals_nothing(report) == []


def test_a_hidden_total_is_given_away_by_a_column_shown_in_full():
    # Why the total has one state everywhere: hidden in one table, another gives it away.
    possible = population_possibilities(
        10, WITHHELD, [([4, 6], [SHOWN, SHOWN]), ([1, 9], [SMALL, WITHHELD])]
    )
    assert possible[("total",)] == [(10, 10)]


def test_a_role_count_is_at_most_the_engagements():
    # Roles overlap, so they have no total, but none exceeds the engagements: with 3 in all,
    # a role of "fewer than 3" may be 1 or 2.
    total_state, _parts, (roles,) = protect_population(3, [[1, 2]], [[2, 0, 3]])
    assert total_state == SHOWN and roles == [SMALL, SHOWN, SHOWN]
    possible = population_possibilities(3, SHOWN, [([1, 2], [SMALL, SMALL])], [([2], [SMALL])])
    assert possible[("subset", 0, 0)] == [(1, 2)]


def test_an_amount_of_a_method_nobody_used_is_no_cover():
    # Check: 4 payments by one consultant (hidden); direct deposit 10 by five (shown); gift
    # card none. Withholding the gift card's $0 would hide nothing: the deposit goes instead.
    states, total = protect_amounts(
        [400, 1000, 0], [SHOWN, SHOWN, SHOWN], SHOWN, [1, 5, 0], counts=[4, 10, 0]
    )
    assert states == [SMALL, WITHHELD, SHOWN] and total == SHOWN
    # With no other method paid, the total itself is withheld (and with it the summary's).
    states, total = protect_amounts([400, 0], [SHOWN, SHOWN], SHOWN, [1, 0], counts=[4, 0])
    assert states[0] in HIDDEN and total == WITHHELD


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=7),
    st.lists(
        st.lists(st.sampled_from([SHOWN, SMALL, WITHHELD, COLLAPSED]), min_size=1, max_size=3),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from([SHOWN, SMALL, WITHHELD, COLLAPSED]),
    st.data(),
)
def test_the_joint_interval_reasoning_agrees_with_the_brute_force(total, shapes, state, data):
    """population_possibilities against a search over every assignment of the hidden cells
    and the hidden total, for columns that all add up to the same total."""
    columns = []
    for shape in shapes:
        values = _split(total, len(shape), data)
        states = [_seen_as(wanted, value) for wanted, value in zip(shape, values, strict=True)]
        columns.append((values, states))
    total_state = _seen_as(state, total)
    intervals = population_possibilities(total, total_state, columns)
    limit = max([total, *(v for values, _s in columns for v in values), 3])
    brute = _brute(total, total_state, columns, limit)
    for key, found in intervals.items():
        assert {v for low, high in found for v in range(low, high + 1)} == brute[key], key


def _split(total, parts, data):
    cuts = sorted(data.draw(st.integers(min_value=0, max_value=total)) for _p in range(parts - 1))
    bounds = [0, *cuts, total]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


def _seen_as(state, value):
    """A state a reader could see for this value."""
    if state == SMALL:
        return SMALL if 0 < value < 3 else SHOWN
    if state == WITHHELD:
        return SHOWN if 0 < value < 3 else WITHHELD
    return state


def _brute(total, total_state, columns, limit):
    totals = [total] if total_state == SHOWN else reader_domain(total_state, limit)
    found = {("total",): set()} if total_state != SHOWN else {}
    for p, (_values, states) in enumerate(columns):
        for i, cell_state in enumerate(states):
            if cell_state != SHOWN:
                found[("partition", p, i)] = set()
    for grand in totals:
        per_column = []
        for values, states in columns:
            hidden = [i for i, cell_state in enumerate(states) if cell_state != SHOWN]
            rest = grand - sum(
                v for v, cell_state in zip(values, states, strict=True) if cell_state == SHOWN
            )
            per_column.append(
                [dict(zip(hidden, a, strict=True)) for a in _fill(hidden, states, rest, limit)]
            )
        if all(per_column):
            if total_state != SHOWN:
                found[("total",)].add(grand)
            for p, assignments in enumerate(per_column):
                for assignment in assignments:
                    for i, value in assignment.items():
                        found[("partition", p, i)].add(value)
    return found


def _fill(hidden, states, rest, limit):
    if not hidden:
        if rest == 0:
            yield ()
        return
    for value in reader_domain(states[hidden[0]], min(rest, limit)) if rest >= 0 else []:
        for tail in _fill(hidden[1:], states, rest - value, limit):
            yield (value, *tail)
