"""The report: every section's figures for the period and the one before, as tables."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import charts
from . import inclusion, pay, progress, recommendations, training


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


@dataclass
class Raw:
    """What the database says for a report, before any of it is protected or shown."""

    period: object
    previous: object
    now: dict  # {section: figures} of the period
    before: dict  # the same for the previous period
    previous_buckets: list
    current_buckets: list
    over_time: list  # engagements per bucket, previous then current
    area_means: dict


def gather(partnership, period):
    """Every aggregate of the report, read from the apps below (never writing)."""
    previous = period.previous()
    sections = {}
    for name, when in (("now", period), ("previous", previous)):
        sections[name] = {
            "inclusion": inclusion.inclusion(partnership, when),
            "pay": pay.pay(partnership, when),
            "training": training.training(partnership, when),
            "progress": progress.progress(partnership, when),
            "recommendations": recommendations.recommendations(partnership, when),
        }
    previous_buckets, current_buckets = buckets(previous), buckets(period)
    return Raw(
        period=period,
        previous=previous,
        now=sections["now"],
        before=sections["previous"],
        previous_buckets=previous_buckets,
        current_buckets=current_buckets,
        over_time=inclusion.engagements_over_time(partnership, previous_buckets + current_buckets),
        area_means=progress.area_means_over_time(partnership, [previous, period]),
    )


def assemble(raw, scope):
    """The report's tables and charts from the raw figures, every figure protected. No
    database: the property tests feed it made-up figures."""
    now, before = raw.now, raw.before
    split = len(raw.previous_buckets)
    over_time_before, over_time_now = raw.over_time[:split], raw.over_time[split:]
    engaged_before = inclusion.protect_engagements(before["inclusion"], over_time_before)
    engaged_now = inclusion.protect_engagements(now["inclusion"], over_time_now)
    bars = charts.bars(
        raw.previous_buckets,
        over_time_before,
        engaged_before.buckets,
        raw.current_buckets,
        over_time_now,
        engaged_now.buckets,
    )
    heat = charts.heatmap(raw.area_means, raw.previous, raw.period)
    report = Report(
        title=_("Report for funders and board: %(scope)s") % {"scope": scope},
        scope=scope,
        period=raw.period,
        previous=raw.previous,
        generated_at=timezone.now(),
        bars=bars,
        heat=heat,
    )
    report.sections = [
        (
            "inclusion",
            _("Survivor inclusion"),
            inclusion.inclusion_tables(
                now["inclusion"], before["inclusion"], engaged_now, engaged_before
            ),
        ),
        ("pay", _("Pay"), pay.pay_tables(now["pay"], before["pay"])),
        ("training", _("Training"), training.training_tables(now["training"], before["training"])),
        (
            "progress",
            _("Trauma-informed progress"),
            progress.progress_tables(now["progress"], before["progress"], heat),
        ),
        (
            "recommendations",
            _("You said, we did"),
            recommendations.recommendation_tables(
                now["recommendations"], before["recommendations"]
            ),
        ),
    ]
    return report


def build_report(partnership, period, *, state_name=""):
    scope = partnership.name if partnership else state_name
    return assemble(gather(partnership, period), scope)
