"""Filters for words and numbers as people read them, in every app's templates."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from toolkit_portal import plain_text

register = template.Library()


@register.filter
def before_stop(value):
    """`{{ name|before_stop }}.`: no doubled full stop after a name that ends in one."""
    return plain_text.before_stop(value)


@register.filter
def money(value):
    """The portal's one money filter: an amount in US dollars, "$1,234.50" in every language
    (the separators come from toolkit_portal/formats: Spanish as written in the US); "" for
    no amount. Negative amounts read "-$12.00"."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    sign = "-" if amount < 0 else ""
    return f"{sign}${number_format(abs(amount), decimal_pos=2, force_grouping=True)}"
