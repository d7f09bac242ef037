"""Filters for words and numbers as people read them, in every app's templates."""

from django import template

from toolkit_portal import numbers, plain_text

register = template.Library()


@register.filter
def before_stop(value):
    """`{{ name|before_stop }}.`: no doubled full stop after a name that ends in one."""
    return plain_text.before_stop(value)


@register.filter
def money(value):
    """The portal's one money filter (`toolkit_portal.numbers.money`)."""
    return numbers.money(value)
