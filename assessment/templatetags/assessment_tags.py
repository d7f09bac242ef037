"""The self-assessment on other pages: the rounds a person rates (their dashboard, a
partnership's page, an assessment review request) and a partnership's weakest areas."""

from django import template

from assessment import services

register = template.Library()

DASHBOARD_ROWS = 5


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
