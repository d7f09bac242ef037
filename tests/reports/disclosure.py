"""An attacker's view of a report's table, by brute force: which values could each hidden
cell hold, given everything the table shows?

Written apart from reports.suppression (which reasons with intervals) so that the two can be
checked against each other. What a reader knows:

- a shown cell's value, and the shown total (the rows of a table with a total add up to it);
- "fewer than 3" means 1 or 2; "withheld" means 0 or at least 3 (a 1 or 2 would have said
  "fewer than 3"); "not broken down" means any count;
- a change is this period minus the previous one.
"""

from reports.suppression import COLLAPSED, SHOWN, SMALL, WITHHELD


def _domain(state, bound):
    if state == SMALL:
        return [v for v in (1, 2) if v <= bound]
    if state == WITHHELD:
        return [v for v in range(bound + 1) if v == 0 or v >= 3]
    if state == COLLAPSED:
        return list(range(bound + 1))
    raise ValueError(state)


def feasible(cells, total):
    """cells: [(state, value or None)]; total: (state, value or None), or None for a table
    without a total. Returns {index: set of possible values} for each hidden cell (the total
    has index len(cells))."""
    hidden = [i for i, (state, _v) in enumerate(cells) if state != SHOWN]
    shown_sum = sum(v for state, v in cells if state == SHOWN)
    if total is None:
        # No total: nothing ties the cells together.
        return {i: set(_domain(cells[i][0], 1_000)) for i in hidden}
    totals = [total[1]] if total[0] == SHOWN else _domain(total[0], 2 + shown_sum + 30)
    result = {i: set() for i in hidden}
    if total[0] != SHOWN:
        result[len(cells)] = set()
    for grand in totals:
        budget = grand - shown_sum
        if budget < 0:
            continue
        for assignment in _assignments([cells[i][0] for i in hidden], budget):
            for i, value in zip(hidden, assignment, strict=True):
                result[i].add(value)
            if total[0] != SHOWN:
                result[len(cells)].add(grand)
    return result


def _assignments(states, budget):
    """Every tuple of values, one per state, in its domain, adding up to `budget`."""
    if not states:
        if budget == 0:
            yield ()
        return
    first, rest = states[0], states[1:]
    for value in _domain(first, budget):
        for tail in _assignments(rest, budget - value):
            yield (value, *tail)


def determined(cells, total):
    """The hidden cells whose value a reader could work out (one possibility left)."""
    return [i for i, values in feasible(cells, total).items() if len(values) == 1]


def table_columns(table):
    """[(cells, total)] for each period column of each measure of a report table."""
    columns = []
    if table.extra.get("matrix"):
        return columns
    for measure in range(len(table.measures)):
        units = {row.figures[measure].now.unit for row in table.rows}
        if not table.survivor or units != {"count"}:
            continue  # sums and averages follow their own rule (suppression.shown_if_group)
        for which in ("now", "previous"):
            cells = [
                (
                    getattr(row.figures[measure], which).state,
                    getattr(row.figures[measure], which).value,
                )
                for row in table.rows
            ]
            total = None
            if table.total:
                cell = getattr(table.total.figures[measure], which)
                total = (cell.state, cell.value)
            columns.append((cells, total))
    return columns


def changes_reveal_nothing(table):
    """A change is shown only where both of its figures are."""
    rows = [*table.rows, *([table.total] if table.total else [])]
    for row in rows:
        for fig in row.figures:
            if (
                getattr(fig, "change", None)
                and fig.change.state == SHOWN
                and fig.change.value is not None
            ):
                if not (fig.now.shown and fig.previous.shown):
                    return False
    return True
