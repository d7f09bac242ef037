"""A list's dates read exactly as the `date` filter shows them, in English and Spanish."""

import datetime
import random

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from toolkit_portal.date_formats import date_formatter

FORMATS = ["SHORT_DATETIME_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "DATE_FORMAT"]


def _moments():
    start = timezone.make_aware(datetime.datetime(2026, 1, 1))
    rng = random.Random(7)
    moments = [
        start + datetime.timedelta(minutes=rng.randrange(0, 800 * 24 * 60)) for _ in range(400)
    ]
    # Midnight, noon, on the hour and not, in every month; and the night clocks change.
    moments += [
        timezone.make_aware(datetime.datetime(2026, month, 9, hour, minute))
        for month in range(1, 13)
        for hour in (0, 1, 11, 12, 13, 23)
        for minute in (0, 5, 30)
    ]
    moments += [
        datetime.datetime(2026, 3, 8, 8, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 11, 1, 8, 30, tzinfo=datetime.UTC),
    ]
    return moments


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("format_name", FORMATS)
def test_the_same_words_as_the_date_filter(language, format_name):
    moments = _moments()
    values = [*moments, None]
    if "DATETIME" not in format_name:
        values += [moment.date() for moment in moments]
    template = Template(f'{{{{ value|date:"{format_name}" }}}}')
    with translation.override(language):
        formatted = date_formatter(format_name)
        for value in values:
            assert formatted(value) == template.render(Context({"value": value})), value


def test_a_time_in_the_format_takes_the_time_of_day_in_the_current_zone():
    noon_in_denver = datetime.datetime(2027, 1, 4, 19, 0, tzinfo=datetime.UTC)
    with translation.override("en"), timezone.override("America/Denver"):
        assert date_formatter("DATETIME_FORMAT")(noon_in_denver) == "Jan. 4, 2027, noon"
    with translation.override("es"), timezone.override("America/Denver"):
        assert date_formatter("DATETIME_FORMAT")(noon_in_denver) == "4 de enero de 2027 a las 12:00"
