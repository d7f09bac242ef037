"""The self-assessment's scoring, as plain functions of numbers (no database).

A rating is a level 1–5, or None for "not applicable"; N/A answers are counted but never
enter a mean. The spread is the population standard deviation of the ratings (every rater of
the round is the population asked, not a sample of it). Area, principle and overall figures
pool every rating of their items.

No single survivor's answers may be read or worked out from the results:

- staff and survivor figures stand side by side only when at least MIN_GROUP survivors rated
  the round, and a cell's split only when at least MIN_GROUP survivors rated that cell
  (otherwise the survivor figure, and the staff figure that with the combined one would give
  it away, are withheld);
- a cell that one or two survivors rated, beside fewer than two staff raters, shows no
  combined mean or spread either: the one staff rater could subtract their own answers.

Groups are counted in distinct raters who gave a level in the cell, never in ratings (one
survivor rating six statements of an area is still one survivor).
"""

import statistics
import textwrap
from dataclasses import dataclass

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
        return None if self.mean is None else round(self.mean, 2)

    @property
    def rounded_spread(self):
        return None if self.spread is None else round(self.spread, 2)


def summarize(levels):
    """Summary of a list of levels (None is N/A)."""
    rated = [level for level in levels if level is not None]
    not_applicable = len(levels) - len(rated)
    if not rated:
        return Summary(0, not_applicable, None, None)
    return Summary(len(rated), not_applicable, statistics.fmean(rated), statistics.pstdev(rated))


@dataclass(frozen=True)
class Split:
    """Combined, staff and survivor summaries of one cell. `shown`: the staff and survivor
    figures may be shown. `withheld`: not even the combined mean and spread may be (its
    `all` then carries the counts only)."""

    all: Summary
    staff: Summary
    survivor: Summary
    shown: bool
    withheld: bool = False


def _raters(pairs):
    return {rater for rater, level in pairs if level is not None}


def split(staff, survivors, *, survivors_shown):
    """`staff`, `survivors`: (rater id, level or None) pairs of one cell."""
    staff_raters, survivor_raters = _raters(staff), _raters(survivors)
    survivor = summarize([level for _rater, level in survivors])
    combined = summarize([level for _rater, level in staff + survivors])
    shown = survivors_shown and (not survivor_raters or len(survivor_raters) >= MIN_GROUP)
    withheld = 0 < len(survivor_raters) < MIN_GROUP and len(staff_raters) < 2
    if withheld:
        combined = Summary(combined.count, combined.not_applicable, None, None)
    return Split(
        all=combined,
        staff=summarize([level for _rater, level in staff]),
        survivor=survivor,
        shown=shown and not withheld,
        withheld=withheld,
    )


def build_results(items, answers, *, area_order, principle_order, four_r_order):
    """Everything the results page shows, from the round's items and answers.

    `items`: objects with pk, key_area, principle and four_r. `answers`: (rater id, rater kind
    "staff" or "survivor", item id, level or None). The orders are the toolkit's value lists.
    """
    by_item = {item.pk: {"staff": [], "survivor": []} for item in items}
    survivors = set()
    staff = set()
    for rater_id, kind, item_id, level in answers:
        if item_id not in by_item:
            continue
        group = "survivor" if kind == "survivor" else "staff"
        by_item[item_id][group].append((rater_id, level))
        (survivors if group == "survivor" else staff).add(rater_id)
    survivors_shown = len(survivors) >= MIN_GROUP

    def pooled(selected):
        staff_levels, survivor_levels = [], []
        for item in selected:
            staff_levels += by_item[item.pk]["staff"]
            survivor_levels += by_item[item.pk]["survivor"]
        return split(staff_levels, survivor_levels, survivors_shown=survivors_shown)

    item_rows = [(item, pooled([item])) for item in items]
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
        (row for row in item_rows if row[1].all.count >= 2 and row[1].all.spread is not None),
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
        "survivors_shown": survivors_shown,
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
            mean = cell.all.mean if cell else None
            cells.append(
                {
                    "x": HEAT_LABEL_WIDTH + column * HEAT_CELL_WIDTH,
                    "text_x": HEAT_LABEL_WIDTH + column * HEAT_CELL_WIDTH + HEAT_CELL_WIDTH // 2,
                    "mean": None if mean is None else round(mean, 1),
                    "css": heat_class(mean),
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
                "mean": None if now is None else round(now, 2),
                "previous": None if before is None else round(float(before), 2),
                "delta": None if now is None or before is None else round(now - float(before), 2),
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
    """{key area: combined mean} from (rater id, kind, key area, level) rows of one round,
    under the same protection as the results (a withheld area has no mean)."""
    cells = {area: {"staff": [], "survivor": []} for area in area_order}
    for rater_id, kind, area, level in rows:
        if area in cells:
            cells[area]["survivor" if kind == "survivor" else "staff"].append((rater_id, level))
    means = {}
    for area, groups in cells.items():
        mean = split(groups["staff"], groups["survivor"], survivors_shown=False).all.mean
        if mean is not None:
            means[area] = mean
    return means


def overall_mean(rows):
    """The pooled mean of (rater id, kind, key area, level) rows of one round, protected."""
    staff = [(r, level) for r, kind, _area, level in rows if kind != "survivor"]
    survivors = [(r, level) for r, kind, _area, level in rows if kind == "survivor"]
    return split(staff, survivors, survivors_shown=False).all.mean
