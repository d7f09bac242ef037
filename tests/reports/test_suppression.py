"""Small numbers protected: no hidden count can be worked out from what a table shows.

A Hypothesis property over random tables (rows and totals, two periods and the change),
checked by brute force in tests/reports/disclosure.py, and a few hand-worked examples.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from reports import suppression
from reports.suppression import COLLAPSED, SHOWN, SMALL, WITHHELD, count_table, protect_column

from .disclosure import changes_reveal_nothing, determined, feasible, table_columns


def states_of(values, total=None):
    states, total_state = protect_column(values, total)
    return states, total_state


def test_a_count_of_one_or_two_is_fewer_than_three_and_zero_is_shown():
    states, total_state = states_of([0, 1, 2, 3])
    assert states == [SHOWN, SMALL, SMALL, SHOWN] and total_state is None


def test_one_small_cell_beside_a_total_takes_the_next_smallest_with_it():
    # 13 - 5 - 7 would give the 1 away: the 5 is withheld too.
    states, total_state = states_of([1, 7, 5], 13)
    assert states == [SMALL, SHOWN, WITHHELD] and total_state == SHOWN
    assert determined(list(zip(states, [None, 7, None], strict=True)), (SHOWN, 13)) == []


def test_a_withheld_zero_is_not_enough_when_it_would_pin_the_small_cell():
    # With 1 and 0 hidden, 1 + 0 = 1 has one answer (a withheld cell is 0 or 3+): a third goes.
    states, _total = states_of([1, 0, 4, 9], 14)
    assert states[0] == SMALL
    assert states.count(WITHHELD) >= 2


def test_two_small_cells_that_add_up_to_four_are_protected():
    # 2 + 2 = 4 has one answer: the next cell is withheld, or the column is not broken down.
    states, _total = states_of([2, 2, 10], 14)
    assert states[2] == WITHHELD
    states, total_state = states_of([2, 2], 4)
    assert states == [COLLAPSED, COLLAPSED] and total_state == SHOWN


def test_a_total_of_one_or_two_is_fewer_than_three_and_nothing_is_broken_down():
    states, total_state = states_of([1, 0, 1], 2)
    assert states == [COLLAPSED] * 3 and total_state == SMALL


def test_staff_figures_are_not_suppressed():
    states, total_state = protect_column([1, 2], 3, survivor=False)
    assert states == [SHOWN, SHOWN] and total_state == SHOWN


def test_the_change_beside_a_hidden_figure_is_withheld():
    table = count_table("t", "T", [("a", "A", 1, 5), ("b", "B", 6, 6)], total=("All", 7, 11))
    first = table.rows[0].figures[0]
    assert first.now.state == SMALL and first.now.value is None
    assert first.change.state == WITHHELD and first.change.value is None
    assert changes_reveal_nothing(table)


counts = st.integers(min_value=0, max_value=6)


@st.composite
def tables(draw):
    size = draw(st.integers(min_value=1, max_value=5))
    now = draw(st.lists(counts, min_size=size, max_size=size))
    previous = draw(st.lists(counts, min_size=size, max_size=size))
    with_total = draw(st.booleans())
    rows = [(f"r{i}", f"Row {i}", n, p) for i, (n, p) in enumerate(zip(now, previous, strict=True))]
    total = ("All", sum(now), sum(previous)) if with_total else None
    return count_table("t", "T", rows, total=total), now, previous


@settings(max_examples=400, deadline=None)
@given(tables())
def test_no_hidden_count_can_be_worked_out_from_the_shown_ones(generated):
    table, now, previous = generated
    assert changes_reveal_nothing(table)
    for (cells, total), truth in zip(table_columns(table), [now, previous], strict=True):
        # Every count of 1 or 2 is hidden, and no hidden value is in the table at all.
        for (state, value), true_value in zip(cells, truth, strict=True):
            if 0 < true_value < 3:
                assert state in suppression.HIDDEN
            if state != SHOWN:
                assert value is None
            else:
                assert value == true_value
        # The true values are among the possibilities, and every hidden cell has two or more.
        possible = feasible(cells, total)
        for index, values in possible.items():
            if index < len(truth):
                assert truth[index] in values
            assert len(values) >= 2, (cells, total, index, values)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=8), min_size=2, max_size=4),
    st.data(),
)
def test_the_interval_reasoning_agrees_with_the_brute_force(values, data):
    """The production check (intervals) and the brute force find the same possibilities."""
    states = [data.draw(st.sampled_from([SHOWN, SMALL, WITHHELD, COLLAPSED])) for _v in values]
    # Only states a reader could see for these values.
    states = [
        SMALL
        if s == SMALL and 0 < v < 3
        else (
            WITHHELD
            if s == WITHHELD and not 0 < v < 3
            else (COLLAPSED if s == COLLAPSED else SHOWN)
        )
        for s, v in zip(states, values, strict=True)
    ]
    total = sum(values)
    intervals = suppression.possible_values(values, states, total)
    brute = feasible(
        [(s, v if s == SHOWN else None) for s, v in zip(states, values, strict=True)],
        (SHOWN, total),
    )
    for index, found in intervals.items():
        expanded = {v for low, high in found for v in range(low, high + 1)}
        assert expanded == brute[index]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=9), min_size=2, max_size=5),
    st.lists(st.integers(min_value=0, max_value=5), min_size=5, max_size=5),
)
def test_amounts_are_never_the_only_hidden_one_under_a_total(count_values, group_sizes):
    count_states, total_state = protect_column(count_values, sum(count_values))
    amounts = [v * 10 for v in count_values]
    states, amount_total = suppression.protect_amounts(
        amounts, count_states, total_state, group_sizes[: len(count_values)]
    )
    hidden = [s for s in states if s in suppression.HIDDEN]
    if amount_total == SHOWN:
        assert len(hidden) != 1
    for count_state, amount_state in zip(count_states, states, strict=True):
        if count_state in suppression.HIDDEN:
            assert amount_state in suppression.HIDDEN
