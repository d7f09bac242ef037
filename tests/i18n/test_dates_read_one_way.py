"""Dates read one way: every page of the access matrix, in English and in
Spanish, shows dates only in the language's one shape ("Jan. 4, 2027" / "4 de enero de
2027", toolkit_portal/formats), never "2027-01-04" or "01/04/2027". Dates inside form
fields (the browser's date picker takes ISO), addresses, attributes and scripts are not
text a person reads, and are left out."""

import re

import pytest
from django.utils import translation

from .test_pages_in_spanish import matrix_objects, rendered_pages  # noqa: F401

# What a person reads: the text between tags of <body>, without <script>, <style> and
# <textarea> contents (what someone typed).
SKIPPED = re.compile(r"<(script|style|textarea)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]*>")
OTHER_SHAPES = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "numeric date": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    # English's abbreviated month without its full stop.
    "month without its full stop": re.compile(r"\b(Jan|Feb|Aug|Sept|Oct|Nov|Dec) \d{1,2}, \d{4}"),
}


def _text(page):
    body = page.split("<body", 1)[-1]
    return " ".join(TAG.sub(" ", SKIPPED.sub(" ", body)).split())


def other_shapes(page):
    text = _text(page)
    return sorted(
        {
            f"{what}: {match.group(0)}"
            for what, shape in OTHER_SHAPES.items()
            for match in shape.finditer(text)
        }
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_shows_dates_in_one_shape(client, personas, matrix_objects, language):  # noqa: F811
    problems, checked = {}, 0
    for where, _url, page in rendered_pages(client, personas, matrix_objects, language):
        checked += 1
        found = other_shapes(page)
        if found:
            problems[where] = found
    translation.activate("en")
    assert checked > 40
    assert problems == {}, "Dates in another shape:\n" + "\n".join(
        f"{page}: {found}" for page, found in problems.items()
    )


def test_the_shapes_are_recognised():
    assert other_shapes("<body><p>Due 2027-01-04, 01/04/2027 or Jan 4, 2027</p>") == [
        "ISO date: 2027-01-04",
        "month without its full stop: Jan 4, 2027",
        "numeric date: 01/04/2027",
    ]
    assert other_shapes('<body><input value="2027-01-04"><p>Jan. 4, 2027</p>') == []
