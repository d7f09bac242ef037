"""Every form, fuzzed: the answer is the form again with its errors (200) or a redirect,
never a server error, and nothing is half-saved.

For each form of `cases.CASES`, posted as the role that uses it:
1. the valid body is accepted (so the spoiled bodies reach the code behind the form);
2. each field in turn gets its worst value (NUL in text, a 40-digit number, 9999-12-31),
   then every field is left out, then every field is sent twice;
3. Hypothesis spoils one or two fields at a time (`strategies.bodies`).

Each request runs in a savepoint that is rolled back, so examples do not see each other.
After a refusal (200, or 400 where a page says so) the tables the form writes are exactly
as before; after a redirect whatever changed passes its model's validation and holds no NUL
or other control character.
"""

import copy

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.auth import mfa_login

from .cases import CASES, COVERED_ELSEWHERE, build_world
from .strategies import bodies, unsafe_text, worst

FUZZ = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture
def world(personas, partnership_x):
    return build_world(personas, partnership_x)


def _client(personas, role):
    client = Client()
    if personas[role] is not None:
        mfa_login(client, personas[role])
    return client


def _snapshot(tables):
    return {label: {row.pop("_pk"): row for row in _rows(label)} for label in tables}


def _rows(label):
    model = apps.get_model(label)
    names = [f.attname for f in model._meta.concrete_fields]
    for row in model.objects.values(*names):
        row["_pk"] = row[model._meta.pk.attname]
        yield row


def _invalid_rows(before, after):
    """The model validation errors of the columns the request wrote (the records the tests
    start from are made by factories, which need not fill every field)."""
    errors = {}
    for label, rows in after.items():
        model = apps.get_model(label)
        for pk, row in rows.items():
            old = before[label].get(pk)
            if old == row:
                continue
            written = {column for column in row if old is None or old[column] != row[column]}
            exclude = [f.name for f in model._meta.concrete_fields if f.attname not in written]
            try:
                model.objects.get(pk=pk).full_clean(
                    exclude=exclude, validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                errors[f"{label} {pk}"] = error.message_dict
    return errors


def send(client, case, url, body):
    """(response, tables before, tables after); the request's changes are then undone."""
    cookies = copy.deepcopy(client.cookies)
    # Sign-in rate limits (tested on their own) would refuse the later examples with a 429.
    cache.clear()
    try:
        with transaction.atomic():
            before = _snapshot(case.tables)
            if case.method == "GET":
                response = client.get(url, body)
            else:
                response = client.post(url, body)
            after = _snapshot(case.tables)
            after["invalid"] = _invalid_rows(before, after)
            before["invalid"] = {}
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response, before, after


def check(name, case, body, response, before, after):
    status = response.status_code
    assert status in (case.refused, 302), f"{name}: {status} for {body!r}"
    if status == case.refused and case.method == "POST":
        assert after == before, f"{name}: a refused form changed the tables, for {body!r}"
    assert after["invalid"] == {}, f"{name}: saved rows do not validate, for {body!r}"
    for label, rows in after.items():
        if label == "invalid":
            continue
        for pk, row in rows.items():
            if before[label].get(pk) == row:
                continue
            for column, value in row.items():
                reason = unsafe_text(value)
                assert reason is None, f"{name}: {label}.{column} saved with {reason}: {body!r}"


FORM_MODULES = [
    "partnerships.forms",
    "survivors.forms",
    "survivors.forms_me",
    "survivors.forms_boards",
    "trainings.forms",
    "assessment.forms",
    "toolkit_portal.forms",
    "toolkit_portal.language",
]


def test_every_form_has_a_case():
    import importlib

    from django import forms

    found = set()
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module_name
            ):
                found.add(value.__name__)
    missing = sorted(found - set(CASES) - set(COVERED_ELSEWHERE))
    assert missing == [], f"Add these forms to tests/fuzz/cases.py: {missing}"


@pytest.fixture
def form(name, world, personas):
    """(case, a client signed in as its role, its address, its valid body)."""
    case = CASES[name]
    client = _client(personas, case.role)
    if case.prepare:
        case.prepare(client, personas)
    if case.session:
        session = client.session
        session.update(case.session(session))
        session.save()
    return case, client, case.url(world), case.valid(world)


@pytest.mark.parametrize("name", sorted(CASES))
def test_valid_body_is_accepted(name, form):
    case, client, url, valid = form
    response, before, after = send(client, case, url, valid)
    assert response.status_code == case.accepted, (name, response.status_code)
    if case.method == "POST" and case.saves and case.accepted == 302:
        assert after != before, f"{name}: the valid body saved nothing"


@pytest.mark.parametrize("name", sorted(CASES))
def test_worst_values_every_field(name, form):
    case, client, url, valid = form
    spoiled = [{**valid, field: worst(value)} for field, value in valid.items()]
    spoiled.append({})
    spoiled.append(
        {
            field: [*(value if isinstance(value, list) else [value]), worst(value)]
            for field, value in valid.items()
        }
    )
    for body in spoiled:
        check(name, case, body, *send(client, case, url, body))


@pytest.mark.parametrize("name", sorted(CASES))
@FUZZ
@given(data=st.data())
def test_fuzz(name, form, data):
    case, client, url, valid = form
    body = data.draw(bodies(valid), label="body")
    check(name, case, body, *send(client, case, url, body))
