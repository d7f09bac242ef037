"""No figure of the self-assessment's results lets anyone work out another rater's answer.

The question asked of every figure, for every viewer: given everything the results show
(every statement's, key area's, principle's, R's and the overall figures, the staff and
survivor columns, the heat map, the key-area bars, the order of "where raters disagree"
and the weakest areas; the CSV export prints the statements' figures, and the trends and
the previous-round comparison use `area_means` and `overall_mean`, all included), and the
viewer's own answers, is any other rater's answer to any statement fixed?

The viewers: a coordinator or an admin who did not rate (they see the page, know no answer),
a staff rater (a coordinator who rates is one) and a survivor rater, each knowing their own
answers. The test is stricter than life: the viewer also knows who answered which statement
(only the value is secret, a level 1–5 or N/A) and reads every figure exactly, unrounded.

An answer is not fixed when there is another set of answers that agrees with the viewer's
own, gives every figure exactly the same value, and gives that rater a different answer to
that statement. The search for such a set tries every change of that one answer, alone,
together with every change of any other rater's answer to the same statement, and with all
the raters of that statement but the viewer answering alike; finding one proves the answer
is not fixed. Finding none fails the test (it may then be a leak beyond
what the search can see; either way the rule must change). The first test checks the rule
for one group exhaustively: it withholds exactly the groups in which someone could know.
"""

import itertools
from dataclasses import astuple

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessment.scoring import (
    MIN_GROUP,
    area_bars,
    area_means,
    build_results,
    heatmap,
    may_show,
    overall_mean,
)

from .assessment_helpers import FakeItem

VALUES = (1, 2, 3, 4, 5, None)  # None: not applicable


def _stats(answers):
    """Everything a group's figures say: ratings, N/A, sum and sum of squares."""
    levels = [a for a in answers if a is not None]
    return len(levels), len(answers) - len(levels), sum(levels), sum(a * a for a in levels)


def test_the_rule_withholds_exactly_the_groups_someone_could_read():
    by_stats = {}
    for size in range(0, 7):
        for group in itertools.combinations_with_replacement(VALUES, size):
            by_stats.setdefault((size, _stats(group)), []).append(group)
    for size in range(1, 7):
        for group in itertools.combinations_with_replacement(VALUES, size):
            # A member takes their own answer away; what is left must not be one answer
            # repeated in every group of answers that fits the figures.
            members_can_read = False
            for own in set(group):
                others = list(group)
                others.remove(own)
                fits = by_stats[(size - 1, _stats(others))]
                if len(fits) == 1 and len(set(fits[0])) <= 1 and others:
                    members_can_read = True
            outsider_fits = by_stats[(size, _stats(group))]
            outsider_can_read = len(outsider_fits) == 1 and len(set(group)) == 1
            rated = sum(1 for a in group if a is not None)
            if may_show(group):
                assert not members_can_read and not outsider_can_read, group
                assert rated >= MIN_GROUP
            else:
                # Withheld only because someone could read it, or too few ratings.
                assert members_can_read or rated < MIN_GROUP, group


ITEMS = [
    FakeItem(1, "governance", "safety"),
    FakeItem(2, "governance", "voice"),
    FakeItem(3, four_r="r"),
]
AREAS = [("governance", "Governance"), ("policy", "Policy")]
PRINCIPLES = [("safety", "Safety"), ("voice", "Voice")]


def _flat(value):
    """Every figure, as plain comparable values (floats to nine places)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, FakeItem):
        return ("item", value.pk)
    if hasattr(value, "__dataclass_fields__"):
        return (type(value).__name__, _flat(astuple(value)))
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _flat(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_flat(v) for v in value)
    return value


def shown(answers, kinds):
    """All the results show for `answers` {(rater, item pk): level or None}."""
    rows = [(rater, kinds[rater], item, level) for (rater, item), level in answers.items()]
    results = build_results(
        ITEMS,
        rows,
        area_order=[a for a, _ in AREAS],
        principle_order=[p for p, _ in PRINCIPLES],
        four_r_order=["r"],
    )
    area_of = {item.pk: item.key_area for item in ITEMS}
    trend_rows = [(r, kind, item, area_of[item], level) for r, kind, item, level in rows]
    return _flat(
        (
            results,
            heatmap(results["heat"], AREAS, PRINCIPLES),
            area_bars(results["areas"], {}, AREAS),
            area_means(trend_rows, [a for a, _ in AREAS]),
            overall_mean(trend_rows),
        )
    )


def fixed_answers(answers, kinds, view=shown):
    """[(viewer, rater, item)] for every answer some viewer could work out. A viewer is a
    rater id, or None for a coordinator or admin who did not rate."""
    seen = view(answers, kinds)
    raters = sorted(kinds)
    found = []
    for (rater, item), answer in answers.items():
        others = [r for r in raters if r != rater and (r, item) in answers]
        # Who else had to change in each set of answers that reads the same.
        helpers = set()
        for new in VALUES:
            if new == answer:
                continue
            alone = {**answers, (rater, item): new}
            if view(alone, kinds) == seen:
                helpers.add("nobody")
                break
            for other in others:
                if other in helpers:
                    continue
                for other_new in VALUES:
                    if other_new == answers[(other, item)]:
                        continue
                    changed = {**alone, (other, item): other_new}
                    if view(changed, kinds) == seen:
                        helpers.add(other)
                        break
        for viewer in [None, *raters]:
            if viewer == rater or helpers - {viewer}:
                continue
            # Everyone but the viewer answered alike, in some other way: the page may only
            # say "withheld", and that fits it too.
            alike = [r for r in [rater, *others] if r != viewer]
            if not any(
                view({**answers, **{(r, item): new for r in alike}}, kinds) == seen
                for new in VALUES
                if new != answer
            ):
                found.append((viewer, rater, item))
    return found


@st.composite
def answer_sets(draw):
    staff = draw(st.integers(0, 4))
    survivors = draw(st.integers(0 if staff else 1, 4))
    kinds = {n: "staff" for n in range(staff)}
    kinds |= {100 + n: "survivor" for n in range(survivors)}
    # A few answers to choose from, so that raters often agree (where the risk is).
    palette = draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3, unique=True))
    answers = {}
    for rater in kinds:
        for item in ITEMS:
            answer = draw(st.sampled_from([*palette, "unanswered"]))
            if answer != "unanswered":
                answers[(rater, item.pk)] = answer
    return answers, kinds


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(  # three of each kind, shown side by side in statement 1, withheld in 2
    (
        {(0, 1): 1, (1, 1): 2, (2, 1): 3, (100, 1): 3, (101, 1): 4, (102, 1): 5}
        | {(0, 2): 2, (1, 2): 2, (2, 2): 4, (100, 2): 5, (101, 2): None, (102, 2): 5},
        {0: "staff", 1: "staff", 2: "staff", 100: "survivor", 101: "survivor", 102: "survivor"},
    )
)
@given(answer_sets())
def test_no_viewer_can_work_out_another_raters_answer(case):
    answers, kinds = case
    assert fixed_answers(answers, kinds) == []


def test_the_search_finds_what_an_unprotected_page_would_give_away():
    """The check has teeth: a page that showed the plain mean of every statement, or pooled
    a withheld statement into the overall figure, fails it."""
    kinds = {1: "staff", 2: "staff", 3: "survivor"}

    def plain(answers, _kinds):
        by_item = {}
        for (_rater, item), level in answers.items():
            by_item.setdefault(item, []).append(level)
        return tuple(sorted((item, _stats(levels)) for item, levels in by_item.items()))

    unanimous = {(1, 1): 1, (2, 1): 1, (3, 1): 1}
    assert (None, 3, 1) in fixed_answers(unanimous, kinds, view=plain)
    assert fixed_answers(unanimous, kinds) == []

    def pooled_everything(answers, kinds):
        return shown(answers, kinds), _stats(list(answers.values()))

    # Statement 1 is shown (3, 4, 5); statement 2 is withheld (two raters): the overall
    # figure over every rating would give the sum of statement 2, two 1s.
    mixed = {(1, 1): 3, (2, 1): 4, (3, 1): 5, (1, 2): 1, (3, 2): 1}
    assert (None, 3, 2) in fixed_answers(mixed, kinds, view=pooled_everything)
    assert fixed_answers(mixed, kinds) == []
