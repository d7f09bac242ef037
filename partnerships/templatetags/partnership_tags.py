"""The partnerships' part of the consultant's dashboard."""

from django import template

from partnerships import services
from partnerships.models import BoardMember, Recommendation

register = template.Library()

DASHBOARD_ROWS = 5


@register.inclusion_tag("partnerships/_consultant_panel.html", takes_context=True)
def consultant_partnership_panel(context):
    """Open positions (for every consultant) and the latest answers to the consultant's
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


@register.inclusion_tag("partnerships/assessment/_my_rounds.html", takes_context=True)
def assessment_rounds_to_answer(context, partnership=None):
    """Open self-assessment rounds the signed-in person rates, with how far they are: on a
    consultant's dashboard (after accepting the request) and on a partnership's page. On the
    dashboard, the closed rounds they rated too, each with a link to its results."""
    request = getattr(context, "request", None) or context.get("request")
    user = request.user
    raters = services.open_rounds_for_rater(user)
    if partnership is not None:
        raters = [rater for rater in raters if rater.round.partnership_id == partnership.pk]
        return {"raters": raters, "on_partnership": True}
    rated = services.closed_rounds_for_rater(user)[:DASHBOARD_ROWS]
    return {"raters": raters, "rated": rated, "on_partnership": False}


@register.simple_tag
def latest_weakest_areas(partnership):
    """The weakest key areas of the partnership's latest closed self-assessment round."""
    return services.latest_weakest_areas(partnership)
