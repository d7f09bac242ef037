"""What every section's queries share: the period as moments, a partnership's scope, the
requests that count as engagements and two SQL expressions the ORM lacks."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import FloatField, Func, IntegerField, Q
from django.db.models.aggregates import Aggregate
from django.utils import timezone

from .. import sources as s

ZERO = Decimal("0")
Status = s.ParticipationRequest.Status
# A request whose consultant said yes: she took part, or holds her seat.
ENGAGED = [Status.ACCEPTED, Status.CHANGED, Status.COMPLETED]


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


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


def in_period(field_name, period, *, dates=False):
    if dates:
        return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})
    start, end = moments(period)
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def scoped(queryset, partnership, path):
    return queryset if partnership is None else queryset.filter(**{path: partnership})
