from django import template

from survivors import services

register = template.Library()


@register.inclusion_tag("survivors/_inclusion_indicators.html")
def survivor_inclusion_indicators(partnership):
    """The survivor-inclusion indicators, for the partnership page of its coordinators."""
    from django.conf import settings

    return {
        "partnership": partnership,
        "indicators": services.inclusion_indicators(partnership),
        "warning_share": settings.CONCENTRATION_WARNING_SHARE,
    }
