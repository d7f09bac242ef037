"""Numbers as people read them: money, and rounding half up (1.25 → 1.3) everywhere a mean
is shown.

Python's round() rounds half to even and works on binary floats (round(1.25, 1) == 1.2), so
the heat map and the table beside it could disagree. Every mean goes through `half_up`.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format


def money(value):
    """An amount in US dollars, "$1,234.50" in every language (the separators come from
    toolkit_portal/formats: Spanish as written in the US); "" for no amount. Negative amounts
    read "-$12.00". Templates use it as the `money` filter."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    sign = "-" if amount < 0 else ""
    return f"{sign}${number_format(abs(amount), decimal_pos=2, force_grouping=True)}"


def half_up(value, places=2):
    """`value` rounded half up to `places` decimals, as a float; None stays None.

    The float's shortest decimal form is rounded (1.25, not 1.25000000000000004…), which is
    the number a person would round by hand.
    """
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    return float(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
