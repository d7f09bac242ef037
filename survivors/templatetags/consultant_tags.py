"""The consultant's side of the dashboard, and small formatting helpers for /me/ pages."""

from decimal import Decimal

from django import template
from django.db.models import Count, Q, Sum
from django.utils import timezone

from survivors import services
from survivors.models import ZERO, Compensation, ParticipationRequest
from toolkit_portal.templatetags.portal_text import money

register = template.Library()

Status = ParticipationRequest.Status
DASHBOARD_ROWS = 5


# The portal's one money filter (toolkit_portal's portal_text), under the name these
# templates already use.
usd = register.filter("usd", money)


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


@register.simple_tag
def terms_comparison(req):
    """The terms that changed since she agreed: [{"label", "agreed", "now"}], for the
    side-by-side table of a changed request. Values are shown as a person reads them."""
    agreed = req.agreed_terms or {}
    now = req.engagement.terms()
    return [
        {
            "code": code,
            "label": services.MATERIAL_TERMS[code],
            "agreed": _show_term(code, agreed) if agreed else "—",
            "now": _show_term(code, now),
        }
        for code in req.changed_terms
        if code in services.MATERIAL_TERMS
    ]


def _show_term(code, terms):
    from django.template.defaultfilters import floatformat
    from django.utils.dateparse import parse_datetime
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from survivors.models import Engagement, EngagementKind, RateBasis, choice_label
    from toolkit_portal.vocabulary import SurvivorRole

    if code == "criminal_justice":
        return _("Involved") if terms.get("involves_criminal_justice") else _("Not involved")
    if code == "when":
        starts, ends = (parse_datetime(terms.get(key) or "") for key in ("starts_at", "ends_at"))
        if not (starts and ends):
            return "—"
        starts, ends = timezone.localtime(starts), timezone.localtime(ends)
        return f"{date_format(starts, 'DATETIME_FORMAT')} – {date_format(ends, 'DATETIME_FORMAT')}"
    if code == "where":
        mode = choice_label(Engagement.Mode, terms.get("mode") or "")
        return f"{mode}: {terms['location']}" if terms.get("location") else str(mode)
    if code == "compensation":
        amount = usd(terms.get("compensation_amount"))
        if terms.get("compensation_basis") == RateBasis.FLAT:
            shown = _("%(amount)s, a flat fee") % {"amount": amount}
        else:
            hours = Decimal(terms.get("estimated_hours") or "0")
            shown = _("%(amount)s an hour × %(hours)s estimated hours = %(total)s") % {
                "amount": amount,
                "hours": floatformat(hours, "-2"),
                "total": usd(Decimal(terms.get("compensation_amount") or "0") * hours),
            }
        card = terms.get("rate_card")
        if card:
            shown += " · " + (
                _("preparation time paid")
                if card.get("pays_preparation")
                else _("preparation time not paid")
            )
            shown += ", " + (
                _("travel time paid") if card.get("pays_travel") else _("travel time not paid")
            )
        return shown
    if code == "content_notes":
        return terms.get("content_notes") or _("None listed")
    if code == "kind":
        return str(choice_label(EngagementKind, terms.get("kind") or ""))
    if code == "roles":
        roles = [
            str(SurvivorRole(role).label)
            for role in terms.get("roles_needed") or []
            if role in SurvivorRole.values
        ]
        return "; ".join(roles) or "—"
    if code == "seats":
        return str(terms.get("seats"))
    return "—"


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
