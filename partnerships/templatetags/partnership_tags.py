"""The partnerships' part of the consultant's dashboard."""

from django import template

from partnerships import services
from partnerships.models import Recommendation

register = template.Library()

DASHBOARD_ROWS = 5


@register.inclusion_tag("partnerships/_consultant_panel.html", takes_context=True)
def consultant_partnership_panel(context):
    """Open positions (for listed consultants) and the latest answers to the consultant's
    recommendations."""
    user = context["request"].user
    positions = services.open_positions_for(user)
    answers = (
        Recommendation.objects.by_consultant(user)
        .filter(answered_at__isnull=False)
        .select_related("partnership")
        .order_by("-answered_at")
    )
    return {
        "positions": list(positions[:DASHBOARD_ROWS]),
        "answers": list(answers[:DASHBOARD_ROWS]),
    }
