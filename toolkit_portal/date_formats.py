"""Dates and times for the rows of a list, shown as the `date` template filter shows them.

Django's formatter looks up the translated month and "a.m."/"p.m." for every value it
formats (about 25 µs a value, a quarter of a list row's cost). A page of a hundred rows holds
few distinct days and times of day, so a page's formatter asks Django once for each day's
part and each time's part of the format and puts the parts together for every row: the same
words, in the page's language and time zone.
"""

import datetime

from django.utils import timezone
from django.utils.dateformat import DateFormat, TimeFormat, re_escaped, re_formatchars
from django.utils.formats import date_format, get_format

# Format characters that read the time of day; the others read the day, except these, which
# read the moment with its time zone (offset, timestamp, ISO form): formatted whole.
_TIME_CHARACTERS = frozenset("aAfgGhHiPsu")
_ZONE_CHARACTERS = frozenset("ceIOrTUZ")


def date_formatter(format_name="DATE_FORMAT"):
    """A function giving what `{{ value|date:format_name }}` shows for a date or a datetime
    (an aware one in the current time zone), in the active language: make one per page."""
    format_string = str(get_format(format_name))
    pieces = re_formatchars.split(format_string)
    characters = pieces[1::2]
    if _ZONE_CHARACTERS.intersection(characters):
        return lambda value: "" if value in (None, "") else date_format(value, format_name)
    day_characters = [c for c in characters if c not in _TIME_CHARACTERS]
    time_characters = [c for c in characters if c in _TIME_CHARACTERS]
    # The format as a plan: literal text, or the index of a character in the day's or the
    # time's parts.
    plan = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            if piece:
                plan.append((None, re_escaped.sub(r"\1", piece)))
        elif piece in _TIME_CHARACTERS:
            plan.append((True, time_characters.index(piece)))
        else:
            plan.append((False, day_characters.index(piece)))
    days, times = {}, {}

    def day_parts(day):
        if day not in days:
            formatter = DateFormat(day)
            days[day] = [str(getattr(formatter, c)()) for c in day_characters]
        return days[day]

    def time_parts(moment):
        if moment not in times:
            formatter = TimeFormat(moment)
            times[moment] = [str(getattr(formatter, c)()) for c in time_characters]
        return times[moment]

    def formatted(value):
        if value in (None, ""):
            return ""
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            day, moment = day_parts(value.date()), time_parts(value.time())
        elif time_characters:  # a date in a format with a time: Django refuses it
            return date_format(value, format_name)
        else:
            day, moment = day_parts(value), ()
        return "".join(
            text if of_time is None else (moment if of_time else day)[text]
            for of_time, text in plan
        )

    return formatted
