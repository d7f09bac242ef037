"""Every page of the access matrix, rendered in Spanish, keeps no English sentence of the
catalog in its own text (what people entered is shown as entered and ignored here)."""

from collections import defaultdict

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

import tests.test_access_matrix as access
from tests.auth import mfa_login

from .catalog import english_left

# The access matrix's records, built once for the whole walk.
matrix_objects = access.matrix_objects

# Who opens each page: the first of these roles the matrix gives a 200.
PREFERRED_ROLES = [
    "consultant",
    "coordinator",
    "admin",
    "pending_coordinator",
    "other_consultant",
    "other_coordinator",
    "anonymous",
]


def _kwargs_and_get_answers(entry):
    """(kwargs, {role: answer to a GET}) of a matrix entry."""
    if hasattr(entry, "answers"):
        kwargs, expected = entry.kwargs, entry.answers
    else:
        kwargs, expected = entry[0], entry[1]
    return kwargs, expected.get("GET", expected)


def _pages_by_role():
    pages = defaultdict(list)
    for name, entry in sorted(access.MATRIX.items()):
        kwargs, expected = _kwargs_and_get_answers(entry)
        role = next((r for r in PREFERRED_ROLES if expected.get(r) == 200), None)
        if role is not None:
            pages[role].append((name, kwargs))
    return pages


def _get(client, name, kwargs, objects):
    """The page, with whatever its kwargs built for it undone afterwards (as the access
    matrix does), so each page sees the same records."""
    with transaction.atomic():
        if callable(kwargs):
            kwargs = kwargs(objects)
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        transaction.set_rollback(True)
    return url, response


def _user_data(objects, personas):
    """Text people or factories entered, which is shown as entered."""
    values = set()
    for obj in list(objects.values()) + [p for p in personas.values() if p]:
        for field in getattr(obj, "_meta", None).concrete_fields if hasattr(obj, "_meta") else []:
            value = getattr(obj, field.attname, None)
            if isinstance(value, str) and len(value) > 3:
                values.add(value)
    return sorted(values, key=len, reverse=True)


def rendered_pages(client, personas, objects, language):
    """(where, url, html) of each page that renders, opened by its role from
    `_pages_by_role` with every persona (and the anonymous visitor) reading `language`."""
    for user in personas.values():
        if user is not None:
            user.language = language
            user.save(update_fields=["language"])
    # Status codes are the access matrix's business; this walk reads the pages that render.
    client.raise_request_exception = False
    for role, pages in _pages_by_role().items():
        client.logout()
        if personas[role] is None:
            client.cookies["django_language"] = language
        else:
            mfa_login(client, personas[role])
        for name, kwargs in pages:
            url, response = _get(client, name, kwargs, objects)
            if response.status_code == 200 and "text/html" in response["Content-Type"]:
                yield f"{name} ({url}) as {role}", url, response.content.decode()


@pytest.mark.django_db
def test_every_page_reads_in_spanish(client, personas, matrix_objects):
    ignore = _user_data(matrix_objects, personas)
    problems = {}
    checked = 0
    for where, url, page in rendered_pages(client, personas, matrix_objects, "es"):
        checked += 1
        assert '<html lang="es"' in page, f"{url} is not marked as Spanish"
        left = english_left(page, ignore=ignore)
        if left:
            problems[where] = left
    translation.activate("en")
    assert checked > 40
    assert problems == {}, "English left on Spanish pages:\n" + "\n".join(
        f"{page}: {left}" for page, left in problems.items()
    )
