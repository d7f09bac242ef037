"""Geometry of the report's SVG charts, as plain data: the templates only place it.

Colours are SVG presentation attributes (the same in the page, the PDF and a downloaded
.svg file, which carries no stylesheet); each chart has a <title>, a <desc> and a table
with the same numbers beside it.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from toolkit_portal.numbers import half_up

from . import sources as s
from .suppression import SHOWN

BAR_WIDTH = 34
BAR_GAP = 14
BAR_AREA_HEIGHT = 180
BAR_TOP = 30
BAR_LEFT = 48
BAR_LABEL_SPACE = 60
NOW_FILL = "#1f5fa8"
PREVIOUS_FILL = "#9ec5ee"
HIDDEN_FILL = "#ffffff"
HIDDEN_STROKE = "#6c757d"
INK = "#212529"

HEAT_LABEL_WIDTH = 300
HEAT_CELL_WIDTH = 86
HEAT_CELL_HEIGHT = 30
HEAT_HEADER_HEIGHT = 40
# Red (not yet) to green (sustained), with a text colour of at least 4.5:1 on each
# (static/css/assessment.css uses the same).
HEAT_FILLS = {
    1: ("#a50f15", "#ffffff"),
    2: ("#ef8a62", INK),
    3: ("#fddbc7", INK),
    4: ("#91cf60", INK),
    5: ("#1a7837", "#ffffff"),
    None: ("#f1f3f5", INK),
}


def bucket_label(first, last):
    """(what, year): a month's short name or a quarter, then its year (two short lines)."""
    if first.month == last.month and first.year == last.year:
        return date_format(first, "M"), str(first.year)
    return _("Q%(number)s") % {"number": (first.month - 1) // 3 + 1}, str(first.year)


def bars(previous_buckets, previous_counts, previous_states, buckets, counts, states):
    """Survivor engagements per month or quarter, the previous period's bars lighter.

    Counts of survivors: each period's bars are protected together with every other table
    of the same engagements (`figures.inclusion.protect_engagements` gives their `states`),
    so a hidden bar cannot be worked out from the rest or from the tables."""
    series = []
    for which, spans, values, period_states in (
        ("previous", previous_buckets, previous_counts, previous_states),
        ("now", buckets, counts, states),
    ):
        for (first, last), value, state in zip(spans, values, period_states, strict=True):
            series.append(
                {
                    "which": which,
                    "label": " ".join(bucket_label(first, last)),
                    "lines": bucket_label(first, last),
                    "value": value if state == SHOWN else None,
                    "state": state,
                }
            )
    top = max([bar["value"] or 0 for bar in series] + [1])
    for index, bar in enumerate(series):
        x = BAR_LEFT + index * (BAR_WIDTH + BAR_GAP)
        height = 0 if bar["value"] is None else round(bar["value"] / top * BAR_AREA_HEIGHT, 1)
        bar.update(
            x=x,
            text_x=x + BAR_WIDTH / 2,
            y=BAR_TOP + BAR_AREA_HEIGHT - height,
            height=height,
            value_y=BAR_TOP + BAR_AREA_HEIGHT - height - 6,
            fill=NOW_FILL if bar["which"] == "now" else PREVIOUS_FILL,
            hidden=bar["value"] is None,
        )
    width = BAR_LEFT + len(series) * (BAR_WIDTH + BAR_GAP) + 20
    base = BAR_TOP + BAR_AREA_HEIGHT
    return {
        "bars": series,
        "width": max(width, 420),
        "height": base + BAR_LABEL_SPACE + 30,
        "base": base,
        "label_y": base + 16,
        "year_y": base + 31,
        "legend_y": base + BAR_LABEL_SPACE,
        "legend_text_y": base + BAR_LABEL_SPACE + 11,
        "bar_width": BAR_WIDTH,
        "now_fill": NOW_FILL,
        "previous_fill": PREVIOUS_FILL,
        "hidden_fill": HIDDEN_FILL,
        "hidden_stroke": HIDDEN_STROKE,
        "ink": INK,
        "left": BAR_LEFT,
        "top": BAR_TOP,
    }


def _quarters(first, last):
    start = date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    result = []
    while start <= last:
        result.append(start)
        month = start.month + 3
        start = date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    return result


def heatmap(means, previous, period):
    """Key areas (rows) by quarter (columns) of the previous and this period: the mean of
    the self-assessment rounds that closed in each quarter. `means`: {(quarter start, key
    area): mean}."""
    quarters = _quarters(previous.start, period.end)
    columns = [
        {
            "start": quarter,
            "label": " ".join(bucket_label(quarter, date(quarter.year, quarter.month + 2, 1))),
            "x": HEAT_LABEL_WIDTH + index * HEAT_CELL_WIDTH,
            "text_x": HEAT_LABEL_WIDTH + index * HEAT_CELL_WIDTH + HEAT_CELL_WIDTH // 2,
        }
        for index, quarter in enumerate(quarters)
    ]
    rows = []
    for index, (area, label) in enumerate(s.KeyArea.choices):
        y = HEAT_HEADER_HEIGHT + index * HEAT_CELL_HEIGHT
        cells = []
        for column in columns:
            mean = means.get((column["start"], area))
            band = None if mean is None else min(5, max(1, int(mean + 0.5)))
            fill, ink = HEAT_FILLS[band]
            cells.append(
                {
                    "mean": None if mean is None else half_up(mean, 2),
                    "x": column["x"],
                    "text_x": column["text_x"],
                    "fill": fill,
                    "ink": ink,
                }
            )
        rows.append(
            {
                "area": area,
                "label": str(label),
                "y": y,
                "text_y": y + HEAT_CELL_HEIGHT // 2 + 5,
                "cells": cells,
            }
        )
    return {
        "columns": columns,
        "rows": rows,
        "cell_width": HEAT_CELL_WIDTH,
        "cell_height": HEAT_CELL_HEIGHT,
        "header_y": HEAT_HEADER_HEIGHT - 12,
        "width": HEAT_LABEL_WIDTH + len(columns) * HEAT_CELL_WIDTH + 4,
        "height": HEAT_HEADER_HEIGHT + len(rows) * HEAT_CELL_HEIGHT + 4,
        "has_data": bool(means),
    }
