"""The figures of a report, as plain data: what a funder's or board's report shows.

`build_report(partnership, period)` reads the apps below through their models (never
writing), for the period and the one before it, and returns a `Report` whose tables are
already protected (`reports.suppression`): a hidden figure's value is not in it at all, so
no template, CSV or PDF can show it by mistake. `partnership=None` is the whole state.

Every figure is an aggregate computed by PostgreSQL; a report runs the same number of
queries however many rows it covers (`tests/reports/test_views.py` pins it).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    Sum,
)
from django.db.models.aggregates import Aggregate
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from toolkit_portal.numbers import half_up

from . import sources as s
from .suppression import (
    HIDDEN,
    SHOWN,
    SMALL,
    Cell,
    Row,
    Table,
    count_table,
    figure,
    protect_amounts,
    protect_column,
    shown_if_group,
)

ZERO = Decimal("0")
Status = s.ParticipationRequest.Status
# A request whose consultant said yes: she took part, or holds her seat.
ENGAGED = [Status.ACCEPTED, Status.CHANGED, Status.COMPLETED]


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)

    @property
    def output_field(self):
        from django.db.models import FloatField

        return FloatField()


class DaysBetween(Func):
    """later - earlier, two dates: a number of days."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


def moments(period):
    """The period as aware datetimes: local midnight of its first day to that after its last."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=zone),
        datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _in(field_name, period, *, dates=False):
    if dates:
        return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})
    start, end = moments(period)
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def _scoped(queryset, partnership, path):
    return queryset if partnership is None else queryset.filter(**{path: partnership})


def _staff_ids(partnership):
    """The people whose trainings a report counts: the partnership's coordinators and
    members (for the state: every partnership's), never a survivor consultant's own record."""
    members = s.Membership.objects.exclude(user__role=s.Role.CONSULTANT)
    return _scoped(members, partnership, "partnership").values("user_id")


# The raw figures of one period --------------------------------------------------------------


def inclusion(partnership, period):
    engaged = _scoped(
        s.ParticipationRequest.objects.filter(status__in=ENGAGED),
        partnership,
        "engagement__partnership",
    ).filter(_in("engagement__starts_at", period))
    completed = Q(status=Status.COMPLETED)
    aggregates = {
        "engagements": Count("pk"),
        "consultants": Count("consultant", distinct=True),
        "completed_consultants": Count("consultant", distinct=True, filter=completed),
        "hours": Coalesce(Sum("hours_worked", filter=completed), ZERO),
        "preparation": Coalesce(Sum("preparation_hours", filter=completed), ZERO),
        "travel": Coalesce(Sum("travel_hours", filter=completed), ZERO),
    }
    for kind in s.EngagementKind.values:
        aggregates[f"kind:{kind}"] = Count("pk", filter=Q(engagement__kind=kind))
    for role in s.SurvivorRole.values:
        aggregates[f"role:{role}"] = Count(
            "pk", filter=Q(engagement__roles_needed__contains=[role])
        )
    figures = engaged.aggregate(**aggregates)
    # The most engagements one consultant carried (erased consultants are no one's).
    figures["top"] = (
        engaged.exclude(consultant=None)
        .values("consultant")
        .annotate(n=Count("pk"))
        .aggregate(top=Max("n"))["top"]
        or 0
    )
    figures["single_seat"] = (
        _scoped(s.Engagement.objects.all(), partnership, "partnership")
        .filter(_in("starts_at", period), kind__in=s.EngagementKind.group_kinds(), seats__lt=2)
        .exclude(status=s.Engagement.Status.CANCELLED)
        .count()
    )
    sent = _scoped(
        s.ParticipationRequest.objects.all(), partnership, "engagement__partnership"
    ).filter(_in("sent_at", period))
    figures["requests"] = dict(sent.values_list("status").annotate(n=Count("pk")).order_by())
    return figures


def pay(partnership, period):
    compensations = _scoped(s.Compensation.objects.all(), partnership, "partnership")
    start, end = moments(period)
    owed = Q(
        request__engagement__completed_at__gte=start, request__engagement__completed_at__lt=end
    )
    paid = Q(status=s.Compensation.Status.PAID) & _in("paid_on", period, dates=True)
    overdue = Q(due_on__lt=min(period.end, timezone.localdate())) & (
        ~Q(status=s.Compensation.Status.PAID) | Q(paid_on__gt=period.end)
    )
    days = DaysBetween(F("paid_on"), TruncDate("request__engagement__completed_at"))
    aggregates = {
        "owed": Coalesce(Sum("amount", filter=owed), ZERO),
        "owed_count": Count("pk", filter=owed),
        "owed_consultants": Count("consultant", distinct=True, filter=owed),
        "paid": Coalesce(Sum("amount", filter=paid), ZERO),
        "paid_count": Count("pk", filter=paid),
        "paid_consultants": Count("consultant", distinct=True, filter=paid),
        "expenses": Coalesce(Sum("expenses_total", filter=paid), ZERO),
        "overdue": Count("pk", filter=overdue),
        "overdue_amount": Coalesce(Sum("amount", filter=overdue), ZERO),
        "overdue_consultants": Count("consultant", distinct=True, filter=overdue),
        "median_days": PercentileCont(days, 0.5, filter=paid),
        "p90_days": PercentileCont(days, 0.9, filter=paid),
    }
    for method in [*s.PaymentMethod.values, ""]:
        by = paid & Q(paid_method=method)
        aggregates[f"method:{method}"] = Count("pk", filter=by)
        aggregates[f"method_amount:{method}"] = Coalesce(Sum("amount", filter=by), ZERO)
        aggregates[f"method_consultants:{method}"] = Count("consultant", distinct=True, filter=by)
    return compensations.filter(owed | paid | overdue).aggregate(**aggregates)


def training(partnership, period):
    records = s.TrainingRecord.objects.filter(
        person__in=_staff_ids(partnership), **{"completed_on__gte": period.start}
    ).filter(completed_on__lte=period.end)
    aggregates = {
        "records": Count("pk"),
        "total_hours": Coalesce(Sum("hours"), ZERO),
        "people": Count("person", distinct=True),
        "rating": Avg("evaluation__rating"),
        "ratings": Count("evaluation"),
    }
    for area in s.KeyArea.values:
        has = Q(training__key_areas__contains=[area])
        aggregates[f"area:{area}"] = Count("pk", filter=has)
        aggregates[f"area_hours:{area}"] = Coalesce(Sum("hours", filter=has), ZERO)
    for principle in s.Principle.values:
        has = Q(training__principles__contains=[principle])
        aggregates[f"principle:{principle}"] = Count("pk", filter=has)
        aggregates[f"principle_hours:{principle}"] = Coalesce(Sum("hours", filter=has), ZERO)
    figures = records.aggregate(**aggregates)
    figures["sessions_held"] = (
        _scoped(s.TrainingRequest.objects.all(), partnership, "partnership")
        .filter(status=s.RequestStatus.HELD)
        .filter(_in("scheduled_for", period, dates=True))
        .count()
    )
    return figures


def _closed_rounds(partnership, period):
    """Rounds that closed in the period: by a coordinator, or at their closing date."""
    today = timezone.localdate()
    rounds = _scoped(s.AssessmentRound.objects.all(), partnership, "partnership")
    return rounds.filter(
        _in("closed_at", period)
        | Q(
            closed_at__isnull=True,
            closes_on__gte=period.start,
            closes_on__lte=min(period.end, today - timedelta(days=1)),
        )
    )


def progress(partnership, period):
    priorities = _scoped(s.Priority.objects.all(), partnership, "round__partnership").filter(
        _in("created_at", period)
    )
    figures = priorities.aggregate(
        priorities=Count("pk"),
        priority_goals_met=Count("pk", filter=Q(goal__status=s.Goal.Status.ACHIEVED)),
    )
    figures["rounds_closed"] = _closed_rounds(partnership, period).count()
    figures["goals_met"] = (
        _scoped(s.Goal.objects.all(), partnership, "partnership")
        .filter(status=s.Goal.Status.ACHIEVED)
        .filter(_in("updated_at", period))
        .count()
    )
    return figures


def recommendations(partnership, period):
    received = _scoped(s.Recommendation.objects.all(), partnership, "partnership").filter(
        _in("created_at", period)
    )
    return dict(received.values_list("status").annotate(n=Count("pk")).order_by())


def area_means_over_time(partnership, periods):
    """{(bucket start, key area): mean} over the rounds closed in `periods`, bucketed by the
    quarter they closed in; each round's area mean is protected as on its results page
    (`assessment.scoring`: an area pools only the statements whose figures may be shown), then
    rounds of a quarter are averaged. One query."""
    first = min(p.start for p in periods)
    last = max(p.end for p in periods)
    from .periods import Period

    span = Period(first, last, "custom", "")
    rounds = _closed_rounds(partnership, span)
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


def engagements_over_time(partnership, buckets):
    """Survivor engagements in each (start, end) bucket of dates. One query."""
    engaged = _scoped(
        s.ParticipationRequest.objects.filter(status__in=ENGAGED),
        partnership,
        "engagement__partnership",
    )
    from .periods import Period

    aggregates = {
        f"b{index}": Count("pk", filter=_in("engagement__starts_at", Period(a, b, "custom", "")))
        for index, (a, b) in enumerate(buckets)
    }
    counts = engaged.aggregate(**aggregates)
    return [counts[f"b{index}"] for index in range(len(buckets))]


# The report ---------------------------------------------------------------------------------


@dataclass
class Report:
    title: str
    scope: str  # the partnership's name, or the state's
    period: object
    previous: object
    generated_at: datetime
    sections: list = field(default_factory=list)  # [(key, heading, [tables])]
    bars: dict = field(default_factory=dict)
    heat: dict = field(default_factory=dict)

    def tables(self):
        return [table for _key, _heading, tables in self.sections for table in tables]


def _request_rows(requests):
    def n(*statuses):
        return sum(requests.get(status, 0) for status in statuses)

    return [
        ("accepted", _("Accepted"), n(Status.ACCEPTED, Status.CHANGED, Status.COMPLETED)),
        ("declined", _("Declined"), n(Status.DECLINED)),
        ("expired", _("Expired without an answer"), n(Status.EXPIRED)),
        ("withdrawn", _("Accepted, then withdrawn"), n(Status.WITHDRAWN)),
        ("cancelled", _("Cancelled by the partnership"), n(Status.CANCELLED)),
        ("pending", _("Still awaiting an answer"), n(Status.PENDING)),
    ]


def _paired(rows_now, rows_previous):
    return [
        (key, label, now, previous)
        for (key, label, now), (_k, _l, previous) in zip(rows_now, rows_previous, strict=True)
    ]


def inclusion_tables(now, previous):
    def summary_row(key, label, unit, value, before, state_now=SHOWN, state_before=SHOWN):
        return Row(key, label, [figure(value, before, unit, state_now, state_before)])

    def share(figures):
        return round(figures["top"] / figures["engagements"], 3) if figures["engagements"] else None

    def survivor_state(value):
        return SMALL if 0 < value < 3 else SHOWN

    rows = [
        summary_row(
            "consultants",
            _("Survivor consultants engaged"),
            "count",
            now["consultants"],
            previous["consultants"],
            survivor_state(now["consultants"]),
            survivor_state(previous["consultants"]),
        ),
        summary_row(
            "engagements",
            _("Survivor engagements (seats taken)"),
            "count",
            now["engagements"],
            previous["engagements"],
            survivor_state(now["engagements"]),
            survivor_state(previous["engagements"]),
        ),
        summary_row(
            "concentration",
            _("Largest share carried by one consultant"),
            "share",
            share(now),
            share(previous),
            shown_if_group(now["consultants"]),
            shown_if_group(previous["consultants"]),
        ),
        summary_row(
            "single_seat",
            _("Group engagements with a single survivor seat"),
            "count",
            now["single_seat"],
            previous["single_seat"],
        ),
    ]
    for key, label in [
        ("hours", _("Hours of engagement")),
        ("preparation", _("Hours of preparation")),
        ("travel", _("Hours of travel")),
    ]:
        rows.append(
            summary_row(
                key,
                label,
                "hours",
                now[key],
                previous[key],
                shown_if_group(now["completed_consultants"]),
                shown_if_group(previous["completed_consultants"]),
            )
        )
    summary = Table(
        "inclusion",
        _("Survivor inclusion"),
        [""],
        rows,
        note=_(
            "Hours are those recorded at completion. The share is the largest part of the "
            "period's survivor engagements that one consultant carried."
        ),
    )
    kinds = count_table(
        "engagements_by_kind",
        _("Survivor engagements by kind"),
        [
            (kind, str(label), now[f"kind:{kind}"], previous[f"kind:{kind}"])
            for kind, label in s.EngagementKind.choices
        ],
        total=(_("All survivor engagements"), now["engagements"], previous["engagements"]),
    )
    roles = count_table(
        "engagements_by_role",
        _("Survivor engagements by role"),
        [
            (role, str(label), now[f"role:{role}"], previous[f"role:{role}"])
            for role, label in s.SurvivorRole.choices
        ],
        note=_("An engagement may ask for several roles: these counts overlap and have no total."),
    )
    requests = count_table(
        "requests",
        _("Participation requests sent, by answer"),
        _paired(_request_rows(now["requests"]), _request_rows(previous["requests"])),
        total=(
            _("Requests sent"),
            sum(now["requests"].values()),
            sum(previous["requests"].values()),
        ),
        note=_("Declining needs no reason, and no answer is ever attributed to a person."),
    )
    return [summary, kinds, roles, requests]


def pay_tables(now, previous):
    def money_row(key, label, value, before, group_now, group_before, unit="money"):
        return Row(
            key,
            label,
            [figure(value, before, unit, shown_if_group(group_now), shown_if_group(group_before))],
        )

    rows = [
        money_row(
            "owed", _("Compensation owed for completed work"), now["owed"], previous["owed"],
            now["owed_consultants"], previous["owed_consultants"],
        ),
        money_row(
            "paid", _("Compensation paid"), now["paid"], previous["paid"],
            now["paid_consultants"], previous["paid_consultants"],
        ),
        money_row(
            "expenses", _("Expenses reimbursed with those payments"), now["expenses"],
            previous["expenses"], now["paid_consultants"], previous["paid_consultants"],
        ),
        Row(
            "overdue",
            _("Payments overdue at the end of the period"),
            [
                figure(
                    now["overdue"],
                    previous["overdue"],
                    "count",
                    SMALL if 0 < now["overdue"] < 3 else SHOWN,
                    SMALL if 0 < previous["overdue"] < 3 else SHOWN,
                )
            ],
        ),
        money_row(
            "overdue_amount", _("Amount overdue at the end of the period"),
            now["overdue_amount"], previous["overdue_amount"],
            now["overdue_consultants"], previous["overdue_consultants"],
        ),
    ]  # fmt: skip
    for key, label in [
        ("median_days", _("Median days from completion to payment")),
        ("p90_days", _("90th percentile of days from completion to payment")),
    ]:
        rows.append(
            money_row(
                key,
                label,
                None if now[key] is None else half_up(now[key], 1),
                None if previous[key] is None else half_up(previous[key], 1),
                now["paid_consultants"],
                previous["paid_consultants"],
                unit="days",
            )
        )
    summary = Table(
        "pay",
        _("Pay"),
        [""],
        rows,
        note=_(
            "Owed: compensation for engagements completed in the period. Paid: payments "
            "recorded in the period. Overdue: unpaid past the due date on the period's last day."
        ),
    )
    methods = [(m, str(label)) for m, label in s.PaymentMethod.choices] + [
        ("", pgettext("payment method", "Not recorded"))
    ]

    def by_method(figures):
        counts = [figures[f"method:{m}"] for m, _label in methods]
        amounts = [figures[f"method_amount:{m}"] for m, _label in methods]
        groups = [figures[f"method_consultants:{m}"] for m, _label in methods]
        count_states, total_state = protect_column(counts, figures["paid_count"])
        amount_states, amount_total_state = protect_amounts(
            amounts, count_states, shown_if_group(figures["paid_consultants"]), groups
        )
        if total_state in HIDDEN:
            amount_total_state = total_state
        return counts, amounts, count_states, total_state, amount_states, amount_total_state

    n_counts, n_amounts, n_cs, n_ct, n_as, n_at = by_method(now)
    p_counts, p_amounts, p_cs, p_ct, p_as, p_at = by_method(previous)
    rows = [
        Row(
            key,
            label,
            [
                figure(n_counts[i], p_counts[i], "count", n_cs[i], p_cs[i]),
                figure(n_amounts[i], p_amounts[i], "money", n_as[i], p_as[i]),
            ],
        )
        for i, (key, label) in enumerate(methods)
    ]
    total = Row(
        "total",
        _("All payments"),
        [
            figure(now["paid_count"], previous["paid_count"], "count", n_ct, p_ct),
            figure(now["paid"], previous["paid"], "money", n_at, p_at),
        ],
    )
    method_table = Table(
        "payments_by_method",
        _("Payments by method"),
        [_("Payments"), _("Amount")],
        rows,
        total,
    )
    return [summary, method_table]


def training_tables(now, previous):
    def plain(key, label, unit, field_name):
        return Row(key, label, [figure(now[field_name], previous[field_name], unit)])

    rating_now = None if now["rating"] is None else half_up(now["rating"], 2)
    rating_before = None if previous["rating"] is None else half_up(previous["rating"], 2)
    summary = Table(
        "training",
        _("Training"),
        [""],
        [
            plain("records", _("Trainings completed"), "count", "records"),
            plain("hours", _("Training hours"), "hours", "total_hours"),
            plain("people", _("People trained"), "count", "people"),
            Row(
                "rating",
                _("Average rating (1 to 5)"),
                [figure(rating_now, rating_before, "rating")],
            ),
            plain("ratings", _("Ratings given"), "count", "ratings"),
            plain("sessions_held", _("On-site sessions held"), "count", "sessions_held"),
        ],
        note=_(
            "Trainings recorded by the partnership's coordinators and members. A survivor "
            "consultant's own training records are theirs and are not counted here."
        ),
        survivor=False,
    )

    def dimension(key, title, prefix, choices, heading):
        return Table(
            key,
            title,
            [_("Trainings"), _("Hours")],
            [
                Row(
                    value,
                    str(label),
                    [
                        figure(now[f"{prefix}:{value}"], previous[f"{prefix}:{value}"]),
                        figure(
                            now[f"{prefix}_hours:{value}"],
                            previous[f"{prefix}_hours:{value}"],
                            "hours",
                        ),
                    ],
                )
                for value, label in choices
            ],
            note=_("A training may strengthen several areas or principles: rows overlap."),
            survivor=False,
            extra={"heading": heading},
        )

    return [
        summary,
        dimension(
            "training_by_key_area", _("Training by key area"), "area", s.KeyArea.choices,
            _("Key area"),
        ),
        dimension(
            "training_by_principle", _("Training by principle"), "principle",
            s.Principle.choices, _("Principle"),
        ),
    ]  # fmt: skip


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


def recommendation_tables(now, previous):
    R = s.Recommendation.Status
    labels = [
        (R.RECEIVED, _("Awaiting an answer")),
        (R.UNDER_CONSIDERATION, _("Under consideration")),
        (R.ADOPTED, _("Adopted")),
        (R.NOT_ADOPTED, _("Not adopted")),
    ]
    return [
        count_table(
            "recommendations",
            _("Recommendations received, by answer"),
            [(str(v), label, now.get(v, 0), previous.get(v, 0)) for v, label in labels],
            total=(
                _("Recommendations received"),
                sum(now.values()),
                sum(previous.values()),
            ),
            note=_("Recommendations made in the period, with the answer they have today."),
        )
    ]


def _next_boundary(day, months):
    """The first day of the calendar month (months=1) or quarter (3) after `day`'s."""
    index = (day.year * 12 + day.month - 1) // months * months + months
    return date(index // 12, index % 12 + 1, 1)


def buckets(period):
    """Sub-periods for the charts: months of a period up to about half a year, else
    quarters; the first and last are cut to the period."""
    months = 1 if period.days <= 190 else 3
    result = []
    first = period.start
    while first <= period.end:
        following = _next_boundary(first, months)
        result.append((first, min(period.end, following - timedelta(days=1))))
        first = following
    return result


def build_report(partnership, period, *, state_name=""):
    from . import charts

    previous = period.previous()
    raw = {}
    for name, when in (("now", period), ("previous", previous)):
        raw[name] = {
            "inclusion": inclusion(partnership, when),
            "pay": pay(partnership, when),
            "training": training(partnership, when),
            "progress": progress(partnership, when),
            "recommendations": recommendations(partnership, when),
        }
    now, before = raw["now"], raw["previous"]

    previous_buckets, current_buckets = buckets(previous), buckets(period)
    counts = engagements_over_time(partnership, previous_buckets + current_buckets)
    bars = charts.bars(
        previous_buckets,
        counts[: len(previous_buckets)],
        before["inclusion"]["engagements"],
        current_buckets,
        counts[len(previous_buckets) :],
        now["inclusion"]["engagements"],
    )
    heat = charts.heatmap(area_means_over_time(partnership, [previous, period]), previous, period)

    scope = partnership.name if partnership else state_name
    report = Report(
        title=_("Report for funders and board: %(scope)s") % {"scope": scope},
        scope=scope,
        period=period,
        previous=previous,
        generated_at=timezone.now(),
        bars=bars,
        heat=heat,
    )
    report.sections = [
        (
            "inclusion",
            _("Survivor inclusion"),
            inclusion_tables(now["inclusion"], before["inclusion"]),
        ),
        ("pay", _("Pay"), pay_tables(now["pay"], before["pay"])),
        ("training", _("Training"), training_tables(now["training"], before["training"])),
        (
            "progress",
            _("Trauma-informed progress"),
            progress_tables(now["progress"], before["progress"], heat),
        ),
        (
            "recommendations",
            _("You said, we did"),
            recommendation_tables(now["recommendations"], before["recommendations"]),
        ),
    ]
    return report
