"""The consultant's side of the dashboard, and small formatting helpers for /me/ pages."""

from decimal import Decimal

from django import template
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import number_format

from survivors import services
from survivors.models import ZERO, Compensation, ParticipationRequest

register = template.Library()

Status = ParticipationRequest.Status
DASHBOARD_ROWS = 5


@register.filter
def usd(value):
    """1234.5 -> "$1,234.50": the amount is always in US dollars, its separators follow the
    active language's format (Spanish as written in the US, see toolkit_portal/formats)."""
    if value in (None, ""):
        return ""
    return "$" + number_format(Decimal(value), decimal_pos=2, force_grouping=True)


@register.inclusion_tag("survivors/me/_dashboard_overview.html", takes_context=True)
def consultant_overview(context):
    """Requests awaiting an answer, upcoming accepted work and what the consultant is owed;
    a prompt to create the profile when there is none."""
    user = context["request"].user
    profile = services.profile_of(user)
    if profile is None:
        return {"profile": None}
    now = timezone.now()
    mine = ParticipationRequest.objects.filter(consultant=profile).select_related(
        "engagement__partnership"
    )
    awaiting = mine.filter(status=Status.PENDING, engagement__response_deadline__gte=now)
    upcoming = mine.filter(status=Status.ACCEPTED, engagement__ends_at__gte=now)
    unpaid = ~Q(status=Compensation.Status.PAID)
    owed = Compensation.objects.owed_to(profile).aggregate(
        total=Sum("amount", filter=unpaid, default=ZERO),
        count=Count("pk", filter=unpaid),
        overdue=Count("pk", filter=unpaid & Q(due_on__lt=timezone.localdate())),
    )
    return {
        "profile": profile,
        "awaiting": list(awaiting.order_by("engagement__response_deadline")[:DASHBOARD_ROWS]),
        "awaiting_count": awaiting.count(),
        "upcoming": list(upcoming.order_by("engagement__starts_at")[:DASHBOARD_ROWS]),
        "upcoming_count": upcoming.count(),
        "owed": owed,
    }


@register.inclusion_tag("survivors/me/_my_load.html", takes_context=True)
def my_load(context):
    """The consultant's own load against the capacity she set, this month and next: "2 of 3",
    as coordinators see it in the directory (the same count, `ConsultantProfile.load_in`)."""
    profile = services.profile_of(context["request"].user)
    if profile is None:
        return {"profile": None}
    (this_month, this_load), (next_month, next_load) = profile.loads_ahead()
    return {
        "profile": profile,
        "this_load": this_load,
        "next_month": next_month,
        "next_load": next_load,
        "full_this_month": this_load >= profile.monthly_capacity,
    }
