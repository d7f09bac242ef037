from django import template
from django.template.defaultfilters import floatformat

from toolkit_portal.numbers import half_up

register = template.Library()


@register.filter
def mean(value, places=2):
    """A mean for reading: half up, with `places` decimals always shown ("—" if none)."""
    rounded = half_up(value, int(places))
    return "" if rounded is None else floatformat(rounded, int(places))
