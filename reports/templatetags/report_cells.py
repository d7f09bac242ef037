"""How a report's cells read: figures in the page's language, hidden ones in words."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports.suppression import COLLAPSED, SMALL, WITHHELD
from toolkit_portal.templatetags.portal_text import money

register = template.Library()


def hidden_text(state):
    return {
        SMALL: _("fewer than 3"),
        WITHHELD: pgettext("a hidden figure", "withheld"),
        COLLAPSED: _("not broken down"),
    }.get(state)


def value_text(value, unit, *, signed=False):
    if value is None:
        return "—"
    sign = ""
    if signed:
        sign = "+" if value > 0 else ("−" if value < 0 else "±")
        value = abs(value)
    if unit == "money":
        return sign + money(value)
    if unit == "share":
        if signed:
            return _("%(sign)s%(points)s points") % {
                "sign": sign,
                "points": number_format(round(value * 100), 0),
            }
        return f"{number_format(round(value * 100), 0)}%"
    if unit in ("hours", "days"):
        return sign + number_format(value, 1, force_grouping=True)
    if unit in ("mean", "rating"):
        return sign + number_format(value, 2)
    return sign + number_format(value, 0, force_grouping=True)


@register.filter
def cell(cell):
    """A cell of this or the previous period."""
    return hidden_text(cell.state) or value_text(cell.value, cell.unit)


@register.filter
def change(cell):
    """A cell of the change column: signed, or withheld beside a hidden figure."""
    return hidden_text(cell.state) or value_text(cell.value, cell.unit, signed=True)


@register.filter
def hidden(cell):
    return cell.state in (SMALL, WITHHELD, COLLAPSED)
