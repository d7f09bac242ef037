"""Pay: compensation owed, paid and overdue, days from completion to payment, expenses, and
payments by method."""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from toolkit_portal.numbers import half_up

from .. import sources as s
from ..suppression import (
    HIDDEN,
    SHOWN,
    SMALL,
    Row,
    Table,
    figure,
    protect_amounts,
    protect_column,
    shown_if_group,
)
from .queries import ZERO, DaysBetween, PercentileCont, in_period, moments, scoped


def pay(partnership, period):
    compensations = scoped(s.Compensation.objects.all(), partnership, "partnership")
    start, end = moments(period)
    owed = Q(
        request__engagement__completed_at__gte=start, request__engagement__completed_at__lt=end
    )
    paid = Q(status=s.Compensation.Status.PAID) & in_period("paid_on", period, dates=True)
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


def pay_tables(now, previous):
    """The summary and the payments by method. The amount paid is in both, the total of one
    and a row of the other: the method table decides its state (withheld where a method's
    hidden amount could otherwise be worked out), and the summary follows."""
    methods = [(m, str(label)) for m, label in s.PaymentMethod.choices] + [
        ("", pgettext("payment method", "Not recorded"))
    ]

    def by_method(figures):
        counts = [figures[f"method:{m}"] for m, _label in methods]
        amounts = [figures[f"method_amount:{m}"] for m, _label in methods]
        groups = [figures[f"method_consultants:{m}"] for m, _label in methods]
        count_states, total_state = protect_column(counts, figures["paid_count"])
        amount_total_state = (
            total_state if total_state in HIDDEN else shown_if_group(figures["paid_consultants"])
        )
        amount_states, amount_total_state = protect_amounts(
            amounts, count_states, amount_total_state, groups, counts
        )
        return counts, amounts, count_states, total_state, amount_states, amount_total_state

    n_counts, n_amounts, n_cs, n_ct, n_as, n_at = by_method(now)
    p_counts, p_amounts, p_cs, p_ct, p_as, p_at = by_method(previous)

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
        Row(
            "paid", _("Compensation paid"),
            [figure(now["paid"], previous["paid"], "money", n_at, p_at)],
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
