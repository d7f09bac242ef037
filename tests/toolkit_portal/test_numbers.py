"""Means round half up, the same in the heat map and the table."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from assessment.scoring import Summary
from toolkit_portal.numbers import half_up


@pytest.mark.parametrize(
    "value,places,expected",
    [
        (1.25, 1, 1.3),
        (2.675, 2, 2.68),  # round() gives 2.67: the float is 2.67499…
        (0.125, 2, 0.13),
        (3.45, 1, 3.5),
        (Decimal("1.05"), 1, 1.1),
        (4, 1, 4.0),
        (None, 1, None),
    ],
)
def test_half_up(value, places, expected):
    assert half_up(value, places) == expected


def test_the_template_filter_and_the_assessment_agree():
    rendered = Template("{% load numbers %}{{ value|mean:1 }} {{ value|mean }}").render(
        Context({"value": 1.25})
    )
    assert rendered == "1.3 1.25"
    assert Summary(count=4, not_applicable=0, mean=1.125, spread=0.0).rounded_mean == 1.13
    assert Template("{% load numbers %}[{{ value|mean }}]").render(Context({"value": None})) == "[]"


def test_the_heat_map_cell_rounds_half_up():
    from types import SimpleNamespace

    from assessment.scoring import heatmap

    cell = SimpleNamespace(withheld=False, all=Summary(4, 0, 1.25, 0.5))
    chart = heatmap({("governance", "safety"): cell}, [("governance", "G")], [("safety", "S")])
    assert chart["rows"][0]["cells"][0]["mean"] == 1.3
