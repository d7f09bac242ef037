"""The survivor side of a partnership on a consultant's dashboard: open positions, answers
to her recommendations, her board seats. (A partnership's counts of recommendations by
answer are a panel on its page: survivors/portal_hooks.py.)"""

from django import template

from partnerships import services as partnership_services

from ..models import BoardMember, Recommendation

register = template.Library()

DASHBOARD_ROWS = 5


@register.inclusion_tag("partnerships/_consultant_panel.html", takes_context=True)
def consultant_partnership_panel(context):
    """Open positions (for every consultant) and the latest answers to the consultant's
    recommendations."""
    user = context["request"].user
    positions = partnership_services.open_positions_for(user)
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


@register.inclusion_tag("partnerships/_my_board_seats.html", takes_context=True)
def consultant_board_seats(context):
    """The consultant's board seats whose term has not ended, each linking to its page."""
    seats = (
        BoardMember.objects.held_by(context["request"].user)
        .current_or_ahead()
        .select_related("board__partnership")
        .order_by("term_ends_on")
    )
    return {"seats": list(seats)}
