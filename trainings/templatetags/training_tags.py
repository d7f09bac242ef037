"""Pieces of the training catalog that other apps' pages show with one tag."""

from django import template

from .. import services

register = template.Library()


@register.inclusion_tag("trainings/_recommendations.html", takes_context=True)
def training_recommendations(context, limit=5):
    """A consultant's dashboard: published trainings for their growth goals, free ones first."""
    user = context["request"].user
    if not (user.is_authenticated and user.is_consultant):
        return {"show": False}
    goals = services.GrowthGoal.objects.owned_by(user).active().exists()
    return {
        "show": True,
        "has_goals": goals,
        "trainings": services.recommend_for_person(user, limit=limit) if goals else [],
    }


@register.inclusion_tag("trainings/_key_area_recommendations.html")
def key_area_recommendations(key_areas, per_area=3):
    """For a partnership's weakest key areas of its last self-assessment. When no area has
    even a close training, one sentence says so instead of an empty box per area."""
    areas = services.recommend_for_key_areas(key_areas, per_area=per_area)
    return {"areas": areas, "any_training": any(area.trainings for area in areas)}


@register.filter
def stars(value):
    """A rating as text, e.g. 4.3 → "4.3 out of 5"."""
    if value is None:
        return ""
    return f"{value:.1f}"
