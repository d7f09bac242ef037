"""The self-assessment's scoring, as plain functions of numbers (no database).

A rating is a level 1–5, or None for "not applicable"; N/A answers are counted but never
enter a mean. The spread is the population standard deviation of the ratings (every rater of
the round is the population asked, not a sample of it).

No figure anyone can see lets them work out another rater's answer, even a rater who knows
their own answers. The rule is `may_show`, and it is the only place the decision is taken:
every figure the results page, its heat map, its CSV, the trends and the comparison with the
previous round show comes from `protect` (one statement) and `pool` (several), which ask it.

- A group's figures for one statement (its mean, spread, number of ratings and of N/A) are
  shown only when at least MIN_GROUP of its raters gave a level and, whichever one rater of
  the group is set aside, the answers of the others are not all the same (a level or N/A).
  Why: the mean, the spread and the counts together tell a rater the others' sum, sum of
  squares and number of N/A once they take their own answer away; if the others all
  answered alike, that is enough to know each one's answer (1.00 over three raters, or a
  spread of zero among the others). When two different answers remain, any two raters
  holding them could have swapped, and every figure would read the same.
- The statement's combined figures follow the rule over all its raters; the staff and the
  survivor figures stand side by side only when each group passes the rule on its own (and
  the round has at least MIN_GROUP raters of each kind). A group of one or two raters is
  never a column or a mean, staff or survivor.
- A key area, principle, R or the overall figure pools only the statements whose figures
  are shown (the split, only the statements whose split is shown), so a pooled figure can
  always be worked out from figures already on the page: subtracting one from another never
  uncovers a withheld statement or group.

`tests/partnerships/test_assessment_privacy.py` checks this over random answer sets for
every viewer.
"""

import statistics
import textwrap
from collections import Counter
from dataclasses import dataclass

from toolkit_portal.numbers import half_up

MIN_GROUP = 3
WEAKEST_COUNT = 3


@dataclass(frozen=True)
class Summary:
    count: int  # ratings that entered the mean
    not_applicable: int
    mean: float | None
    spread: float | None

    @property
    def rounded_mean(self):
        return None if self.mean is None else half_up(self.mean, 2)

    @property
    def rounded_spread(self):
        return None if self.spread is None else half_up(self.spread, 2)


def summarize(levels):
    """Summary of a list of levels (None is N/A)."""
    rated = [level for level in levels if level is not None]
    not_applicable = len(levels) - len(rated)
    if not rated:
        return Summary(0, not_applicable, None, None)
    return Summary(len(rated), not_applicable, statistics.fmean(rated), statistics.pstdev(rated))


def may_show(answers):
    """May the figures of this group of raters for one statement be shown?

    `answers`: one answer per rater (a level, or None for N/A). Yes only when at least
    MIN_GROUP of them gave a level and, whichever one answer is set aside, the rest are not
    all the same: there are three different answers or more, or two, each given at least
    twice."""
    answers = list(answers)
    if sum(1 for answer in answers if answer is not None) < MIN_GROUP:
        return False
    counts = Counter(answers)
    return len(counts) >= 3 or (len(counts) == 2 and min(counts.values()) >= 2)


@dataclass(frozen=True)
class Split:
    """Combined, staff and survivor summaries of one statement or pool. A figure that may not
    be shown is None, so no page or export can show it by mistake: `all` is None when the
    statement is withheld, `staff` and `survivor` when the groups are not shown apart."""

    all: Summary | None
    staff: Summary | None = None
    survivor: Summary | None = None

    @property
    def withheld(self):
        return self.all is None

    @property
    def shown(self):
        return self.staff is not None and self.survivor is not None


@dataclass(frozen=True)
class _Statement:
    staff: list
    survivor: list
    cell: Split


def protect(staff, survivors, *, split_columns):
    """The figures of one statement: `staff`, `survivors` are the answers (level or None) of
    each group's raters, one per rater. `split_columns`: the round shows staff and survivor
    columns at all."""
    staff, survivors = list(staff), list(survivors)
    if not may_show(staff + survivors):
        return Split(all=None)
    if split_columns and may_show(staff) and may_show(survivors):
        return Split(summarize(staff + survivors), summarize(staff), summarize(survivors))
    return Split(summarize(staff + survivors))


def pool(statements, *, split_columns):
    """The figures of several statements (`_Statement`s): only the shown ones are pooled."""
    shown = [statement for statement in statements if not statement.cell.withheld]
    combined = summarize([a for s in shown for a in s.staff + s.survivor])
    if not split_columns:
        return Split(combined)
    apart = [statement for statement in shown if statement.cell.shown]
    return Split(
        combined,
        summarize([a for s in apart for a in s.staff]),
        summarize([a for s in apart for a in s.survivor]),
    )


def _statements(answers, *, split_columns):
    """{item id: _Statement} from (rater id, kind, item id, level) rows."""
    groups = {}
    for _rater, kind, item_id, level in answers:
        group = groups.setdefault(item_id, ([], []))
        group[1 if kind == "survivor" else 0].append(level)
    return {
        item_id: _Statement(staff, survivor, protect(staff, survivor, split_columns=split_columns))
        for item_id, (staff, survivor) in groups.items()
    }


def build_results(items, answers, *, area_order, principle_order, four_r_order):
    """Everything the results page shows, from the round's items and answers.

    `items`: objects with pk, key_area, principle and four_r. `answers`: (rater id, rater kind
    "staff" or "survivor", item id, level or None), one per rater and item. The orders are the
    toolkit's value lists.
    """
    item_ids = {item.pk for item in items}
    answers = [answer for answer in answers if answer[2] in item_ids]
    survivors = {rater for rater, kind, _item, _level in answers if kind == "survivor"}
    staff = {rater for rater, kind, _item, _level in answers if kind != "survivor"}
    split_columns = len(survivors) >= MIN_GROUP and len(staff) >= MIN_GROUP
    statements = _statements(answers, split_columns=split_columns)

    def pooled(selected):
        return pool(
            [statements[item.pk] for item in selected if item.pk in statements],
            split_columns=split_columns,
        )

    item_rows = [
        (item, statements[item.pk].cell if item.pk in statements else pooled([])) for item in items
    ]
    areas = {area: pooled([item for item in items if item.key_area == area]) for area in area_order}
    principles = {
        principle: pooled([item for item in items if item.principle == principle])
        for principle in principle_order
    }
    heat = {
        (item.key_area, item.principle): cell
        for item, cell in item_rows
        if item.key_area and item.principle
    }
    four_r_items = [item for item in items if item.four_r]
    four_rs = {
        four_r: pooled([item for item in four_r_items if item.four_r == four_r])
        for four_r in four_r_order
    }
    disagreement = sorted(
        (
            row
            for row in item_rows
            if not row[1].withheld and row[1].all.count >= 2 and row[1].all.spread is not None
        ),
        key=lambda row: (-row[1].all.spread, row[1].all.mean),
    )
    return {
        "items": item_rows,
        "areas": areas,
        "principles": principles,
        "heat": heat,
        "four_rs": four_rs,
        "four_rs_overall": pooled(four_r_items),
        "overall": pooled(list(items)),
        "disagreement": disagreement,
        "rater_count": len(staff) + len(survivors),
        "staff_count": len(staff),
        "survivor_count": len(survivors),
        "survivors_shown": split_columns,
        "weakest": weakest_areas(areas, area_order),
    }


def weakest_areas(areas, area_order, count=WEAKEST_COUNT):
    """The key areas with the lowest combined mean (the toolkit's order breaks a tie);
    areas nobody rated are left out."""
    rated = [(areas[area].all.mean, area_order.index(area), area) for area in area_order]
    rated = [row for row in rated if row[0] is not None]
    return [area for _mean, _index, area in sorted(rated)[:count]]


# Charts: geometry for the server-drawn SVG (the template only places what is computed here).

HEAT_LABEL_WIDTH = 300
HEAT_CELL_WIDTH = 110
HEAT_CELL_HEIGHT = 34
HEAT_HEADER_HEIGHT = 64
HEAT_HEADER_LINE = 15  # a column heading wraps onto up to three lines of this height
HEAT_HEADER_CHARS = 15

BAR_LABEL_WIDTH = 300
BAR_SCALE_WIDTH = 400  # pixels for a mean of 5
BAR_HEIGHT = 12
BAR_GROUP_HEIGHT = 38
BAR_AXIS_HEIGHT = 48  # the scale's numbers and the legend under the bars


def heat_class(mean):
    """A CSS class for a mean: heat-1 (lowest band) to heat-5, heat-none when unrated."""
    if mean is None:
        return "heat-none"
    return f"heat-{min(5, max(1, int(mean + 0.5)))}"


def heatmap(heat, area_choices, principle_choices):
    """Rows of cells with their position, class and the number to print in them."""
    rows = []
    for row_index, (area, area_label) in enumerate(area_choices):
        y = HEAT_HEADER_HEIGHT + row_index * HEAT_CELL_HEIGHT
        cells = []
        for column, (principle, principle_label) in enumerate(principle_choices):
            cell = heat.get((area, principle))
            withheld = bool(cell and cell.withheld)
            mean = cell.all.mean if cell and not withheld else None
            cells.append(
                {
                    "x": HEAT_LABEL_WIDTH + column * HEAT_CELL_WIDTH,
                    "text_x": HEAT_LABEL_WIDTH + column * HEAT_CELL_WIDTH + HEAT_CELL_WIDTH // 2,
                    "mean": None if mean is None else half_up(mean, 1),
                    # A withheld figure never looks like an unrated one: its own class
                    # (hatched, bordered) and its own word.
                    "css": "heat-withheld" if withheld else heat_class(mean),
                    "withheld": withheld,
                    "principle_label": principle_label,
                }
            )
        rows.append(
            {"label": area_label, "y": y, "text_y": y + HEAT_CELL_HEIGHT // 2 + 5, "cells": cells}
        )
    columns = []
    for index, (_value, label) in enumerate(principle_choices):
        lines = textwrap.wrap(str(label), HEAT_HEADER_CHARS)
        if len(lines) > 3:
            lines = lines[:2] + [
                textwrap.shorten(" ".join(lines[2:]), HEAT_HEADER_CHARS, placeholder="…")
            ]
        first_y = HEAT_HEADER_HEIGHT - 8 - (len(lines) - 1) * HEAT_HEADER_LINE
        columns.append(
            {
                "label": label,
                "x": HEAT_LABEL_WIDTH + index * HEAT_CELL_WIDTH + HEAT_CELL_WIDTH // 2,
                "lines": [
                    {"text": line, "y": first_y + number * HEAT_HEADER_LINE}
                    for number, line in enumerate(lines)
                ],
            }
        )
    return {
        "rows": rows,
        "columns": columns,
        "cell_width": HEAT_CELL_WIDTH,
        "cell_height": HEAT_CELL_HEIGHT,
        "width": HEAT_LABEL_WIDTH + len(principle_choices) * HEAT_CELL_WIDTH,
        "height": HEAT_HEADER_HEIGHT + len(area_choices) * HEAT_CELL_HEIGHT + 4,
    }


def _bar_width(mean):
    return 0 if mean is None else round(mean / 5 * BAR_SCALE_WIDTH, 1)


def area_bars(areas, previous_areas, area_choices):
    """Two bars per key area: this round and the previous one."""
    rows = []
    for index, (area, label) in enumerate(area_choices):
        y = index * BAR_GROUP_HEIGHT + 4
        now = areas[area].all.mean
        before = previous_areas.get(area)
        rows.append(
            {
                "label": label,
                "label_y": y + BAR_HEIGHT + 2,
                "y": y,
                "previous_y": y + BAR_HEIGHT + 2,
                "width": _bar_width(now),
                "previous_width": _bar_width(before),
                "mean": None if now is None else half_up(now, 2),
                "previous": None if before is None else half_up(before, 2),
                "delta": None if now is None or before is None else half_up(now - float(before), 2),
            }
        )
    bars_bottom = len(area_choices) * BAR_GROUP_HEIGHT + 8
    return {
        "rows": rows,
        "x": BAR_LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "width": BAR_LABEL_WIDTH + BAR_SCALE_WIDTH + 60,
        "height": bars_bottom + BAR_AXIS_HEIGHT,
        "bars_bottom": bars_bottom,
        "tick_label_y": bars_bottom + 14,
        "legend_y": bars_bottom + 30,
        "legend_text_y": bars_bottom + 40,
        "legend_previous_x": BAR_LABEL_WIDTH + 160,
        "ticks": [
            {"value": value, "x": BAR_LABEL_WIDTH + _bar_width(value)} for value in range(0, 6)
        ],
    }


def area_means(rows, area_order):
    """{key area: combined mean} from (rater id, kind, item id, key area, level) rows of one
    round, under the same rule as the results (an area pools its shown statements only; an
    area with none has no mean)."""
    statements = _statements(
        [(r, kind, item, level) for r, kind, item, _a, level in rows], split_columns=False
    )
    areas = {}
    for _rater, _kind, item_id, area, _level in rows:
        if area in area_order:
            areas.setdefault(area, set()).add(item_id)
    means = {}
    for area, item_ids in areas.items():
        mean = pool([statements[item_id] for item_id in item_ids], split_columns=False).all.mean
        if mean is not None:
            means[area] = mean
    return means


def overall_mean(rows):
    """The pooled mean of (rater id, kind, item id, key area, level) rows of one round, under
    the same rule as the results."""
    statements = _statements(
        [(r, kind, item, level) for r, kind, item, _a, level in rows], split_columns=False
    )
    return pool(list(statements.values()), split_columns=False).all.mean
