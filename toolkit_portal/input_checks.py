"""Checks on what people type that Django's form fields leave to us. Every form of the
portal takes the `CleanInput` mixin."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters other than tab, line feed and carriage return: invisible on the page,
# and trouble in PostgreSQL (NUL), terminals, CSV files and calendar feeds.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# No engagement, term, goal or payment of a task force needs a date outside these years, and
# date arithmetic (a board term's end, a time zone's offset) cannot reach past year 9999.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def validate_no_control_characters(value):
    for text in value if isinstance(value, list | tuple) else [value]:
        if isinstance(text, str) and CONTROL_CHARACTERS.search(text):
            raise ValidationError(
                _("Remove the invisible control characters from this text."),
                code="control_characters",
            )


def year_within_reach(value):
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


class CleanInput:
    """A form mixin: text fields refuse control characters (fields a form adds in its
    __init__ too), and date and date-time fields refuse years outside the reach above. The
    reach is checked after a field's own checks, whose messages say more (e.g. "cannot be in
    the future")."""

    def full_clean(self):
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                if validate_no_control_characters not in field.validators:
                    field.validators.append(validate_no_control_characters)
        super().full_clean()

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if (
                isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField)
                and value
                and not year_within_reach(value)
            ):
                self.add_error(
                    name,
                    ValidationError(
                        _("Choose a date between the years %(earliest)d and %(latest)d."),
                        code="out_of_reach",
                        params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
                    ),
                )
        return cleaned
