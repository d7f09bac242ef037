"""The rounds a person rates, on their dashboard. (On a partnership's page and an assessment
review request they are panels: assessment/portal_hooks.py.)"""

from django import template

from assessment import services

register = template.Library()

DASHBOARD_ROWS = 5


@register.inclusion_tag("partnerships/assessment/_my_rounds.html", takes_context=True)
def assessment_rounds_to_answer(context):
    """Open self-assessment rounds the signed-in person rates, with how far they are, and the
    closed rounds they rated too, each with a link to its results."""
    request = getattr(context, "request", None) or context.get("request")
    user = request.user
    raters = services.open_rounds_for_rater(user)
    rated = services.closed_rounds_for_rater(user)[:DASHBOARD_ROWS]
    return {"raters": raters, "rated": rated, "on_partnership": False}
