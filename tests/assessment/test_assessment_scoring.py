"""The self-assessment's scoring with known numbers: means, spread (population standard
deviation), N/A left out, and survivors' figures withheld below three."""

import math

import pytest

from assessment.scoring import (
    MIN_GROUP,
    area_bars,
    area_means,
    build_results,
    heat_class,
    heatmap,
    may_show,
    overall_mean,
    protect,
    summarize,
    weakest_areas,
)

from .assessment_helpers import FakeItem


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


def test_may_show_needs_three_ratings_and_answers_that_differ_without_anyone():
    assert not may_show([])
    assert not may_show([4, 5])  # two raters: never a group
    assert not may_show([1, 1, 1])  # a mean of 1.00 over three gives each answer away
    assert not may_show([3, 3, 3])  # a spread of 0 does too, at any level
    # Whoever answered 5 takes their 5 away: the others' mean 3 and spread 0 are two 3s.
    assert not may_show([3, 3, 5])
    assert not may_show([2, 2, 2, 4])
    assert not may_show([1, 2, None])  # a mean on two ratings
    assert not may_show([None, 4, 4, 4])  # the N/A sees three 4s
    assert may_show([None, None, None, 4, 4, 4, 5])  # the 5 sees 4s and N/A: whose is whose?
    assert may_show([3, 4, 5])
    assert may_show([3, 3, 5, 5])
    assert may_show([None, None, 3, 4, 4])
    assert may_show([2, 2, 2, None, None])  # a 2 sees 2s and N/A, an N/A sees N/A and 2s
    assert MIN_GROUP == 3


def test_protect_shows_each_group_only_when_it_passes_alone():
    cell = protect([2, 3, 4], [1, 2, 5], split_columns=True)
    assert cell.shown and not cell.withheld
    assert (cell.staff.mean, cell.survivor.mean) == (3, pytest.approx(8 / 3))
    assert cell.all.mean == pytest.approx(17 / 6)
    # Two staff raters: no staff column, so no survivor one either (the combined figure
    # minus one gives the other), but the combined figure stands.
    two_staff = protect([2, 3], [1, 2, 5], split_columns=True)
    assert not two_staff.shown and two_staff.staff is None and two_staff.survivor is None
    assert two_staff.all.mean == pytest.approx(13 / 5)
    alike = protect([2, 3, 4], [1, 1, 1], split_columns=True)
    assert not alike.shown and alike.all.mean == 2
    # The round has fewer than three of a kind: never shown apart.
    assert not protect([2, 3, 4], [1, 2, 5], split_columns=False).shown
    # One staff rater beside two survivors who answered alike: the staff rater would learn
    # both answers. (Beside a 1 and a 2 they could not tell whose is whose.)
    assert not protect([5], [1, 2], split_columns=True).withheld
    lone = protect([5], [1, 1], split_columns=True)
    assert lone.withheld and lone.all is None and lone.staff is None
    assert protect([5, 5], [5, 4], split_columns=False).withheld  # the 4 sees three 5s


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
    # 6 fin/trust, 7 realize. Three staff raters (1, 2, 4) and one survivor (3).
    answers = [
        (1, "staff", 1, 5),
        (2, "staff", 1, 3),
        (3, "survivor", 1, 1),
        (1, "staff", 2, 4),
        (2, "staff", 2, None),
        (3, "survivor", 2, 4),
        (4, "staff", 2, 2),
        (1, "staff", 3, 2),  # all alike: withheld
        (2, "staff", 3, 2),
        (3, "survivor", 3, 2),
        (1, "staff", 4, 1),  # two raters: withheld
        (2, "staff", 4, 2),
        (1, "staff", 5, 1),
        (2, "staff", 5, 1),
        (3, "survivor", 5, 3),
        (4, "staff", 5, 3),
        (1, "staff", 7, 5),
        (2, "staff", 7, 4),
        (4, "staff", 7, 3),
    ]
    results = _results(answers)
    item_1 = results["items"][0][1]
    assert item_1.all.mean == 3
    assert item_1.all.spread == pytest.approx(math.sqrt(8 / 3))
    assert results["items"][1][1].all.not_applicable == 1
    assert results["items"][1][1].all.mean == pytest.approx(10 / 3)
    for withheld in (2, 3, 5):  # items 3, 4 and 6 (nobody rated 6: nothing to withhold)
        assert results["items"][withheld][1].withheld == (withheld != 5)
    assert results["items"][5][1].all.count == 0
    # Governance pools items 1 and 2: 5, 3, 1, 4, 4, 2.
    assert results["areas"]["governance"].all.mean == pytest.approx(19 / 6)
    assert results["areas"]["governance"].all.not_applicable == 1
    # Policy's two statements are withheld: the area pools nothing, rather than give them.
    assert results["areas"]["policy"].all.mean is None
    assert results["areas"]["policy"].all.count == 0
    assert results["areas"]["financing"].all.mean == 2
    # Safety pools the shown items 1 and 5: 5, 3, 1, 1, 1, 3, 3.
    assert results["principles"]["safety"].all.mean == pytest.approx(17 / 7)
    assert results["four_rs"]["realize"].all.mean == 4
    # Overall pools every shown rating: 9 + 10 + 8 + 12 over 13.
    assert results["overall"].all.mean == pytest.approx(39 / 13)
    assert results["overall"].all.not_applicable == 1
    assert results["heat"][("policy", "safety")].withheld
    assert results["rater_count"] == 4
    assert results["survivor_count"] == 1
    # One survivor: no survivor column anywhere.
    assert not results["survivors_shown"]
    assert not any(cell.shown for _item, cell in results["items"])
    # The largest spread first; withheld items are left out.
    assert [item.pk for item, _cell in results["disagreement"]] == [1, 5, 2, 7]
    assert results["weakest"] == ["financing", "governance"]


def test_three_of_each_kind_are_shown_side_by_side():
    answers = [(10 + n, "survivor", 1, level) for n, level in enumerate([1, 2, 3])]
    answers += [(n, "staff", 1, level) for n, level in enumerate([5, 4, 3])]
    results = _results(answers)
    assert results["survivors_shown"]
    cell = results["items"][0][1]
    assert cell.shown
    assert cell.survivor.mean == 2
    assert cell.staff.mean == 4
    assert results["overall"].staff.mean == 4
    # Two staff raters: never a staff column, whatever the survivors.
    answers = [a for a in answers if a[0] != 2]
    results = _results(answers)
    assert not results["survivors_shown"]
    assert results["overall"].staff is None and results["items"][0][1].staff is None


def test_weakest_leaves_out_unrated_and_breaks_ties_in_toolkit_order():
    answers = [(rater, "staff", item, rater) for rater in (1, 2, 3) for item in (1, 3)]
    results = _results(answers)
    assert weakest_areas(results["areas"], AREAS) == ["governance", "policy"]


def test_chart_geometry():
    assert heat_class(None) == "heat-none"
    assert heat_class(1.2) == "heat-1"
    assert heat_class(2.5) == "heat-3"
    assert heat_class(5) == "heat-5"
    results = _results([(1, "staff", 1, 5), (2, "staff", 1, 3), (3, "staff", 1, 4)])
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
    rows = [(1, "staff", 3, "policy", 4), (2, "staff", 3, "policy", 2)]
    rows += [(3, "survivor", 3, "policy", 3)]
    rows += [(1, "staff", 5, "financing", 5), (3, "survivor", 5, "financing", 1)]
    rows += [(1, "staff", 7, "", 4), (2, "staff", 7, "", 5), (3, "survivor", 7, "", 3)]
    means = area_means(rows, AREAS)
    assert means == {"policy": 3}  # financing: one staff beside one survivor
    assert overall_mean(rows) == pytest.approx(21 / 6)  # financing left out
    rows = [(1, "staff", 3, "policy", 4), (3, "survivor", 3, "policy", 1)]
    assert overall_mean(rows) is None
