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


def reader_domain(state, bound):
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
        return {i: set(reader_domain(cells[i][0], 1_000)) for i in hidden}
    totals = [total[1]] if total[0] == SHOWN else reader_domain(total[0], 2 + shown_sum + 30)
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
    for value in reader_domain(first, budget):
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


def tables_reveal_nothing(report):
    """[(table, what)] for each table of the report that gives a hidden figure away by
    itself: a change beside a hidden figure, or a hidden count its column pins to one value.
    An empty list: no table does."""
    problems = []
    for table in report.tables():
        if not changes_reveal_nothing(table):
            problems.append((table.key, "a change beside a hidden figure"))
        for cells, total in table_columns(table):
            for index, possible in feasible(cells, total).items():
                if len(possible) < 2:
                    problems.append((table.key, (index, cells, total)))
    return problems


# The whole report ---------------------------------------------------------------------------
#
# What a reader knows ties tables together: the period's engagements are the summary's count,
# the kinds table's total and the sum of its rows, and the sum of the chart's bars; every role
# count and the consultants engaged are at most that many; a table's rows add up to its total;
# a shown change is this period minus the previous one. The amount paid is the pay summary's
# row and the payments table's total, the sum of its methods' amounts, and a method with no
# payment was paid nothing. The check below searches every assignment of the hidden counts
# that agrees with all of it at once (a search that prunes by bounds, but misses none).

SMALL_DOMAIN = (1, 2)


class Model:
    """Figures as variables with the values a reader allows them, and linear facts."""

    def __init__(self, bound):
        self.bound = bound
        self.domains = {}
        self.facts = []  # ({name: coefficient}, "==" or "<=", right-hand side)

    def add(self, name, cell):
        if cell.state == SHOWN:
            self.domains[name] = [cell.value]
        else:
            self.domains[name] = reader_domain(cell.state, self.bound)

    def fact(self, terms, op, rhs=0):
        self.facts.append((dict(terms), op, rhs))

    def possibilities(self):
        """{name: set of values} for every figure with more than one value a priori."""
        result = {}
        for component in self._components():
            result.update(_feasible_values(component, self.domains))
        return result

    def _components(self):
        """Groups of hidden figures tied by some fact, each with the facts over it."""
        open_names = {n for n, d in self.domains.items() if len(d) > 1}
        parent = {n: n for n in open_names}

        def root(n):
            while parent[n] != n:
                n = parent[n]
            return n

        for terms, _op, _rhs in self.facts:
            tied = [n for n in terms if n in open_names]
            for other in tied[1:]:
                parent[root(other)] = root(tied[0])
        groups = {}
        for name in open_names:
            groups.setdefault(root(name), set()).add(name)
        components = []
        for names in groups.values():
            facts = [f for f in self.facts if names & set(f[0])]
            components.append((names, facts))
        return components


def _feasible_values(component, domains):
    names, facts = component
    involved = sorted({n for terms, _op, _rhs in facts for n in terms} | names)
    local = {n: list(domains[n]) for n in involved}
    found = {n: set() for n in names}
    for name in sorted(names):
        for value in local[name]:
            if value in found[name]:
                continue
            solution = _solve({**local, name: [value]}, facts)
            if solution:
                for n in names:
                    found[n].add(solution[n])
    return found


def _solve(domains, facts):
    """One assignment within the domains that satisfies every fact, or None."""
    by_name = {n: [f for f in facts if n in f[0]] for n in domains}
    order = sorted(domains, key=lambda n: len(domains[n]))
    assigned = {}

    def consistent(terms, op, rhs):
        low = high = 0
        for n, coefficient in terms.items():
            if n in assigned:
                low += coefficient * assigned[n]
                high += coefficient * assigned[n]
            else:
                a, b = coefficient * min(domains[n]), coefficient * max(domains[n])
                low, high = low + min(a, b), high + max(a, b)
        return low <= rhs <= high if op == "==" else low <= rhs

    def forced(name):
        """The one value an equality leaves `name` once its other figures are set."""
        for terms, op, rhs in by_name[name]:
            if op == "==" and all(n in assigned for n in terms if n != name):
                rest = sum(c * assigned[n] for n, c in terms.items() if n != name)
                value, remainder = divmod(rhs - rest, terms[name])
                return [value] if remainder == 0 and value in domains[name] else []
        return domains[name]

    def search(index):
        if index == len(order):
            return True
        name = order[index]
        for value in forced(name):
            assigned[name] = value
            if all(consistent(*fact) for fact in by_name[name]) and search(index + 1):
                return True
            del assigned[name]
        return False

    return dict(assigned) if search(0) else None


def _cell(table, row_key, measure, which):
    row = table.total if row_key == "total" else next(r for r in table.rows if r.key == row_key)
    return getattr(row.figures[measure], which)


def count_model(report, bound):
    """The reader's model of every count of survivors in the report."""
    model = Model(bound)
    tables = {table.key: table for table in report.tables()}
    for which in ("now", "previous"):
        for table in tables.values():
            if not table.survivor or table.extra.get("matrix"):
                continue
            for measure in range(len(table.measures)):
                if {r.figures[measure].now.unit for r in table.rows} != {"count"}:
                    continue
                names = []
                for row in table.rows:
                    name = (table.key, row.key, measure, which)
                    model.add(name, getattr(row.figures[measure], which))
                    names.append(name)
                if table.total:
                    total = (table.key, "total", measure, which)
                    model.add(total, getattr(table.total.figures[measure], which))
                    model.fact({**dict.fromkeys(names, 1), total: -1}, "==")
        for table_key, row_key in (
            ("inclusion", "engagements"),
            ("inclusion", "consultants"),
            ("pay", "overdue"),
        ):
            model.add((table_key, row_key, 0, which), _cell(tables[table_key], row_key, 0, which))
        engagements = ("inclusion", "engagements", 0, which)
        model.fact({engagements: 1, ("engagements_by_kind", "total", 0, which): -1}, "==")
        bars = [bar for bar in report.bars["bars"] if bar["which"] == which]
        for index, bar in enumerate(bars):
            model.add(("bars", index, which), _BarCell(bar))
        model.fact({**{("bars", i, which): 1 for i in range(len(bars))}, engagements: -1}, "==")
        for row in tables["engagements_by_role"].rows:
            model.fact({("engagements_by_role", row.key, 0, which): 1, engagements: -1}, "<=")
        model.fact({("inclusion", "consultants", 0, which): 1, engagements: -1}, "<=")
    # A change shown is the difference of its two figures.
    for name in [n for n in model.domains if n[0] != "bars" and n[-1] == "now"]:
        table = tables[name[0]]
        change = _cell(table, name[1], name[2], "change")
        if change.state == SHOWN and change.value is not None:
            model.fact({name: 1, (*name[:-1], "previous"): -1}, "==", change.value)
    return model


class _BarCell:
    def __init__(self, bar):
        self.state = bar["state"]
        self.value = bar["value"]


def amount_model(report, unit, bound):
    """The reader's model of the amounts paid, in multiples of `unit` up to `bound` of them
    (the test data's amounts are all multiples of it, so the model only narrows what a reader
    could say: a check it passes, a reader's would too)."""
    tables = {table.key: table for table in report.tables()}
    methods, pay = tables["payments_by_method"], tables["pay"]
    cells = {}
    for which in ("now", "previous"):
        for row in [*methods.rows, methods.total]:
            cells[(row.key, which)] = (
                getattr(row.figures[0], which),
                getattr(row.figures[1], which),
            )
        cells[("summary", which)] = (None, _cell(pay, "paid", 0, which))
    model = Model(bound)
    for name, (count, amount) in cells.items():
        if amount.state == SHOWN:
            model.domains[name] = [int(amount.value / unit)]
        elif count is not None and count.state == SHOWN and count.value == 0:
            model.domains[name] = [0]  # no payment, no amount
        elif count is not None and (count.state == SMALL or count.state == SHOWN):
            model.domains[name] = list(range(1, bound + 1))  # one payment or more
        else:
            model.domains[name] = list(range(bound + 1))
    for which in ("now", "previous"):
        rows = {(row.key, which): 1 for row in methods.rows}
        model.fact({**rows, ("total", which): -1}, "==")
        model.fact({("summary", which): 1, ("total", which): -1}, "==")
    return model


def report_reveals_nothing(report, *, bound=None, amount_unit=None, amount_bound=None):
    """[(figure, its possible values)] for every hidden figure of the report that a reader
    could work out from everything it shows: counts (each at most `bound`, by default a few
    more than the largest shown) and, with `amount_unit`, the amounts paid (at most
    `amount_bound` units). An empty list: nothing is revealed."""
    problems = [
        (table.key, "a change beside a hidden figure")
        for table in report.tables()
        if not changes_reveal_nothing(table)
    ]
    shown = [
        c.value
        for table in report.tables()
        for row in [*table.rows, *([table.total] if table.total else [])]
        for fig in row.figures
        for c in ([fig.now, fig.previous] if hasattr(fig, "now") else [fig])
        if c.unit == "count" and c.value is not None
    ]
    model = count_model(report, bound or max([*shown, 2]) + 3)
    problems += [(n, v) for n, v in model.possibilities().items() if len(v) < 2]
    if amount_unit:
        model = amount_model(report, amount_unit, amount_bound)
        problems += [(n, v) for n, v in model.possibilities().items() if len(v) < 2]
    return problems
