"""The self-assessment's scoring with known numbers: means, spread (population standard
deviation), N/A left out, and survivors' figures withheld below three."""

import math

import pytest

from partnerships.assessment import (
    MIN_GROUP,
    area_bars,
    area_means,
    build_results,
    heat_class,
    heatmap,
    overall_mean,
    split,
    summarize,
    weakest_areas,
)


def test_summary_excludes_not_applicable_and_uses_population_spread():
    summary = summarize([1, 3, 5, None, None])
    assert summary.count == 3
    assert summary.not_applicable == 2
    assert summary.mean == 3
    assert summary.spread == pytest.approx(math.sqrt(8 / 3))  # 1.633, not the sample 2.0


def test_summary_of_nothing_rated():
    summary = summarize([None, None])
    assert (summary.count, summary.not_applicable, summary.mean, summary.spread) == (
        0,
        2,
        None,
        None,
    )
    assert summarize([]).mean is None


def test_single_rating_has_no_spread():
    assert summarize([4]).spread == 0
    assert summarize([2, 4]).mean == 3
    assert summarize([2, 4]).spread == 1


def _pairs(first_rater, levels):
    return [(first_rater + index, level) for index, level in enumerate(levels)]


def test_split_withholds_fewer_than_three_survivors():
    staff = _pairs(1, [2, 2])
    shown = split(staff, _pairs(10, [4, 5, 3]), survivors_shown=True)
    assert shown.shown and not shown.withheld
    assert shown.staff.mean == 2
    assert shown.survivor.mean == 4
    assert shown.all.mean == pytest.approx(16 / 5)
    # Two survivors rated this cell: neither their figure nor the staff one (which, with the
    # combined figure, would give theirs away) is shown; two staff raters keep the combined.
    hidden = split(staff, _pairs(10, [4, 5]), survivors_shown=True)
    assert not hidden.shown and not hidden.withheld
    assert hidden.all.mean == pytest.approx(13 / 4)
    # No survivor rated the cell (one said N/A): nothing to reveal, staff alone.
    assert split(staff, [(10, None)], survivors_shown=True).shown
    # Fewer than three survivors rated the round at all: never shown.
    assert not split(staff, _pairs(10, [4, 5, 3]), survivors_shown=False).shown
    # Three ratings from one survivor are one survivor.
    one = split(staff, [(10, 4), (10, 5), (10, 3)], survivors_shown=True)
    assert not one.shown


def test_one_staff_rater_beside_one_or_two_survivors_sees_no_combined_figure():
    # The staff rater knows their own answers: a combined mean would give the survivor's.
    for survivors in ([(10, 1)], [(10, 1), (11, 2)]):
        cell = split([(1, 4), (1, 5)], survivors, survivors_shown=True)
        assert cell.withheld
        assert cell.all.mean is None and cell.all.spread is None
        assert cell.all.count == 2 + len(survivors)
        assert not cell.shown
    # Two staff raters, or three survivors, and the combined figure is shown again.
    assert not split([(1, 4), (2, 5)], [(10, 1)], survivors_shown=False).withheld
    assert not split([(1, 4)], _pairs(10, [1, 2, 3]), survivors_shown=True).withheld


class FakeItem:
    def __init__(self, pk, key_area="", principle="", four_r=""):
        self.pk = pk
        self.key_area = key_area
        self.principle = principle
        self.four_r = four_r


AREAS = ["governance", "policy", "financing"]
PRINCIPLES = ["safety", "trustworthiness"]
FOUR_RS = ["realize"]


def _items():
    items = []
    pk = 1
    for area in AREAS:
        for principle in PRINCIPLES:
            items.append(FakeItem(pk, area, principle))
            pk += 1
    items.append(FakeItem(pk, four_r="realize"))
    return items


def _results(answers):
    return build_results(
        _items(),
        answers,
        area_order=AREAS,
        principle_order=PRINCIPLES,
        four_r_order=FOUR_RS,
    )


def test_build_results_known_numbers():
    # Items: 1 gov/safety, 2 gov/trust, 3 policy/safety, 4 policy/trust, 5 fin/safety,
    # 6 fin/trust, 7 realize. Two staff raters (1, 2) and one survivor (3).
    answers = [
        (1, "staff", 1, 5),
        (2, "staff", 1, 3),
        (3, "survivor", 1, 1),
        (1, "staff", 2, 4),
        (2, "staff", 2, None),
        (1, "staff", 3, 2),
        (2, "staff", 3, 2),
        (1, "staff", 5, 1),
        (2, "staff", 6, 1),
        (1, "staff", 7, 5),
    ]
    results = _results(answers)
    item_1 = results["items"][0][1]
    assert item_1.all.mean == 3
    assert item_1.all.spread == pytest.approx(math.sqrt(8 / 3))
    assert results["items"][1][1].all.not_applicable == 1
    assert results["items"][1][1].all.mean == 4
    # Governance pools items 1 and 2: 5, 3, 1, 4.
    assert results["areas"]["governance"].all.mean == pytest.approx(13 / 4)
    assert results["areas"]["governance"].all.not_applicable == 1
    assert results["areas"]["policy"].all.mean == 2
    assert results["areas"]["financing"].all.mean == 1
    # Safety pools items 1, 3 and 5: 5, 3, 1, 2, 2, 1.
    assert results["principles"]["safety"].all.mean == pytest.approx(14 / 6)
    assert results["four_rs"]["realize"].all.mean == 5
    # Overall pools every rating: 5+3+1+4+2+2+1+1+5 = 24 over 9.
    assert results["overall"].all.mean == pytest.approx(24 / 9)
    assert results["overall"].all.not_applicable == 1
    assert results["heat"][("policy", "safety")].all.mean == 2
    assert results["rater_count"] == 3
    assert results["survivor_count"] == 1
    # One survivor: no survivor column anywhere.
    assert not results["survivors_shown"]
    assert not any(cell.shown for _item, cell in results["items"])
    # The largest spread first; items rated by fewer than two people are left out.
    spreads = [cell.all.spread for _item, cell in results["disagreement"]]
    assert spreads == sorted(spreads, reverse=True)
    assert results["disagreement"][0][0].pk == 1
    assert {item.pk for item, _cell in results["disagreement"]} == {1, 3}
    assert results["weakest"] == ["financing", "policy", "governance"]


def test_three_survivors_are_shown_beside_staff():
    answers = [(10 + n, "survivor", 1, level) for n, level in enumerate([1, 2, 3])]
    answers += [(1, "staff", 1, 5), (2, "staff", 1, 4)]
    results = _results(answers)
    assert results["survivors_shown"]
    cell = results["items"][0][1]
    assert cell.shown
    assert cell.survivor.mean == 2
    assert cell.staff.mean == 4.5
    assert MIN_GROUP == 3


def test_weakest_leaves_out_unrated_and_breaks_ties_in_toolkit_order():
    results = _results([(1, "staff", 1, 2), (1, "staff", 3, 2)])
    assert weakest_areas(results["areas"], AREAS) == ["governance", "policy"]


def test_chart_geometry():
    assert heat_class(None) == "heat-none"
    assert heat_class(1.2) == "heat-1"
    assert heat_class(2.5) == "heat-3"
    assert heat_class(5) == "heat-5"
    results = _results([(1, "staff", 1, 5), (2, "staff", 1, 3)])
    chart = heatmap(
        results["heat"],
        [(a, a.title()) for a in AREAS],
        [(p, p.title()) for p in PRINCIPLES],
    )
    assert chart["rows"][0]["cells"][0]["mean"] == 4
    assert chart["rows"][0]["cells"][0]["css"] == "heat-4"
    assert chart["rows"][1]["cells"][0]["css"] == "heat-none"
    bars = area_bars(results["areas"], {"governance": 2.0}, [(a, a) for a in AREAS])
    assert bars["rows"][0]["width"] == 320  # 4 of 5 on a 400-pixel scale
    assert bars["rows"][0]["previous_width"] == 160
    assert bars["rows"][0]["delta"] == 2
    assert bars["rows"][1]["width"] == 0


def test_area_and_overall_means_of_a_past_round_are_protected():
    rows = [(1, "staff", "policy", 4), (2, "staff", "policy", 2), (3, "survivor", "policy", 3)]
    rows += [(1, "staff", "financing", 5), (3, "survivor", "financing", 1)]
    rows += [(1, "staff", "", 4)]
    means = area_means(rows, AREAS)
    assert means == {"policy": 3}  # financing: one staff beside one survivor
    assert overall_mean(rows) == pytest.approx(19 / 6)
    assert overall_mean([(1, "staff", "policy", 4), (3, "survivor", "policy", 1)]) is None
