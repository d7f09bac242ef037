"""Survivor inclusion: engagements by kind and role, hours, the concentration share, the
requests sent and how they were answered, and engagements over time for the chart."""

from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .. import sources as s
from ..periods import Period
from ..suppression import (
    SHOWN,
    Row,
    Table,
    count_table,
    figure,
    protect_population,
    shown_if_group,
)
from .queries import ENGAGED, ZERO, Status, in_period, scoped


def inclusion(partnership, period):
    engaged = scoped(
        s.ParticipationRequest.objects.filter(status__in=ENGAGED),
        partnership,
        "engagement__partnership",
    ).filter(in_period("engagement__starts_at", period))
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
        scoped(s.Engagement.objects.all(), partnership, "partnership")
        .filter(
            in_period("starts_at", period), kind__in=s.EngagementKind.group_kinds(), seats__lt=2
        )
        .exclude(status=s.Engagement.Status.CANCELLED)
        .count()
    )
    sent = scoped(
        s.ParticipationRequest.objects.all(), partnership, "engagement__partnership"
    ).filter(in_period("sent_at", period))
    figures["requests"] = dict(sent.values_list("status").annotate(n=Count("pk")).order_by())
    return figures


def engagements_over_time(partnership, buckets):
    """Survivor engagements in each (start, end) bucket of dates. One query."""
    engaged = scoped(
        s.ParticipationRequest.objects.filter(status__in=ENGAGED),
        partnership,
        "engagement__partnership",
    )

    aggregates = {
        f"b{index}": Count(
            "pk", filter=in_period("engagement__starts_at", Period(a, b, "custom", ""))
        )
        for index, (a, b) in enumerate(buckets)
    }
    counts = engaged.aggregate(**aggregates)
    return [counts[f"b{index}"] for index in range(len(buckets))]


def _request_rows(by_status):
    def n(*statuses):
        return sum(by_status.get(status, 0) for status in statuses)

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


@dataclass(frozen=True)
class Engaged:
    """The states of a period's survivor engagements wherever the report shows them."""

    total: str  # the summary's count and the kinds table's total
    kinds: list
    buckets: list  # the chart's months or quarters
    roles: list
    consultants: str


def protect_engagements(figures, per_bucket):
    """A period's survivor engagements are one population the report shows in several places:
    the summary's count, the kinds table (rows and total), the chart's months and the roles
    (which overlap and leave out engagements that asked for none); the consultants engaged
    are among them too. They are protected together (`suppression.protect_population`), so
    that no place gives away what another hides."""
    kinds = [figures[f"kind:{kind}"] for kind in s.EngagementKind.values]
    roles = [figures[f"role:{role}"] for role in s.SurvivorRole.values]
    total, (kind_states, bucket_states), (role_states, (consultants,)) = protect_population(
        figures["engagements"], [kinds, per_bucket], [roles, [figures["consultants"]]]
    )
    return Engaged(total, kind_states, bucket_states, role_states, consultants)


def inclusion_tables(now, previous, engaged_now, engaged_before):
    """`engaged_now`, `engaged_before`: the engagements' states (`protect_engagements`)."""

    def summary_row(key, label, unit, value, before, state_now=SHOWN, state_before=SHOWN):
        return Row(key, label, [figure(value, before, unit, state_now, state_before)])

    def share(figures):
        return round(figures["top"] / figures["engagements"], 3) if figures["engagements"] else None

    rows = [
        summary_row(
            "consultants",
            _("Survivor consultants engaged"),
            "count",
            now["consultants"],
            previous["consultants"],
            engaged_now.consultants,
            engaged_before.consultants,
        ),
        summary_row(
            "engagements",
            _("Survivor engagements (seats taken)"),
            "count",
            now["engagements"],
            previous["engagements"],
            engaged_now.total,
            engaged_before.total,
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
        states=(
            (engaged_now.kinds, engaged_now.total),
            (engaged_before.kinds, engaged_before.total),
        ),
    )
    roles = count_table(
        "engagements_by_role",
        _("Survivor engagements by role"),
        [
            (role, str(label), now[f"role:{role}"], previous[f"role:{role}"])
            for role, label in s.SurvivorRole.choices
        ],
        note=_("An engagement may ask for several roles: these counts overlap and have no total."),
        states=((engaged_now.roles, None), (engaged_before.roles, None)),
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
