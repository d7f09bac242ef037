"""Trauma-informed progress: self-assessment rounds closed, key-area means over time (the heat
map), priorities and goals met."""

from datetime import date, timedelta

from django.db.models import Count, DateField, F, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import sources as s
from ..periods import Period
from ..suppression import SHOWN, Cell, Row, Table, figure
from .queries import Status, in_period, scoped


def closed_rounds(partnership, period):
    """Rounds that closed in the period: by a coordinator, or at their closing date."""
    today = timezone.localdate()
    rounds = scoped(s.AssessmentRound.objects.all(), partnership, "partnership")
    return rounds.filter(
        in_period("closed_at", period)
        | Q(
            closed_at__isnull=True,
            closes_on__gte=period.start,
            closes_on__lte=min(period.end, today - timedelta(days=1)),
        )
    )


def progress(partnership, period):
    priorities = scoped(s.Priority.objects.all(), partnership, "round__partnership").filter(
        in_period("created_at", period)
    )
    figures = priorities.aggregate(
        priorities=Count("pk"),
        priority_goals_met=Count("pk", filter=Q(goal__status=s.Goal.Status.ACHIEVED)),
    )
    figures["rounds_closed"] = closed_rounds(partnership, period).count()
    figures["goals_met"] = (
        scoped(s.Goal.objects.all(), partnership, "partnership")
        .filter(status=s.Goal.Status.ACHIEVED)
        .filter(in_period("updated_at", period))
        .count()
    )
    return figures


def area_means_over_time(partnership, periods):
    """{(bucket start, key area): mean} over the rounds closed in `periods`, bucketed by the
    quarter they closed in; each round's area mean is protected as on its results page
    (`assessment.scoring`: an area pools only the statements whose figures may be shown), then
    rounds of a quarter are averaged. One query."""
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)

    span = Period(first, last, "custom", "")
    rounds = closed_rounds(partnership, span)
    closed_on = Coalesce(TruncDate("rater__round__closed_at"), F("rater__round__closes_on"))
    active = Q(rater__kind=s.Rater.Kind.STAFF) | Q(
        rater__participation_request__status__in=[Status.ACCEPTED, Status.COMPLETED]
    )
    rows = (
        s.Answer.objects.filter(active, rater__round__in=rounds, level__isnull=False)
        .exclude(item__key_area="")
        .values("rater__round_id", "item__key_area")
        .annotate(
            closed=Min(closed_on, output_field=DateField()),
            staff=Count("rater", distinct=True, filter=Q(rater__kind=s.Rater.Kind.STAFF)),
            survivors=Count("rater", distinct=True, filter=Q(rater__kind=s.Rater.Kind.SURVIVOR)),
            total=Sum("level"),
            n=Count("level"),
        )
        .order_by()
    )
    per_bucket = {}
    for row in rows:
        if 0 < row["survivors"] < s.MIN_GROUP and row["staff"] < 2:
            continue  # withheld, as on the round's results page
        closed = row["closed"]
        bucket = date(closed.year, 3 * ((closed.month - 1) // 3) + 1, 1)
        per_bucket.setdefault((bucket, row["item__key_area"]), []).append(row["total"] / row["n"])
    return {key: sum(means) / len(means) for key, means in per_bucket.items()}


def progress_tables(now, previous, heat):
    summary = Table(
        "progress",
        _("Trauma-informed progress"),
        [""],
        [
            Row(key, label, [figure(now[key], previous[key])])
            for key, label in [
                ("rounds_closed", _("Self-assessment rounds closed")),
                ("priorities", _("Priorities recorded")),
                ("priority_goals_met", _("Priorities whose goal is achieved")),
                ("goals_met", _("Goals marked achieved")),
            ]
        ],
        survivor=False,
    )
    columns = heat["columns"]
    means = Table(
        "key_area_means",
        _("Key-area means over time"),
        [column["label"] for column in columns],
        [
            Row(
                row["area"],
                row["label"],
                [Cell.of(cell["mean"], SHOWN, "mean") for cell in row["cells"]],
            )
            for row in heat["rows"]
        ],
        note=_(
            "The mean rating (1 to 5) of the self-assessment rounds closed in each quarter, "
            "protected as on each round's results page."
        ),
        survivor=False,
        extra={"matrix": True},
    )
    return [summary, means]
