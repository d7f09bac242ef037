"""The Django admin's add and change forms, fuzzed: for every model of the portal's apps
registered in `admin.site` that the admin persona may add (or change), each field of the
admin's own form (`model_admin.get_form(request, obj)`) gets the worst values of its kind,
then every field is left out, then every field is sent twice; a few Hypothesis examples
spoil a field at random. The answer is the form again with its errors (200) or a redirect,
never a server error, and a refused form leaves the table as it was; a saved row validates
and holds no control character. Every portal ModelAdmin takes
`toolkit_portal.admin_widgets.CheckedInput`.

A body starts from an existing record of the model (made by `cases.build_world`), so a
spoiled field is often the only thing wrong with it. The personas, that world, the demo data
and a record of every model are made once for the module (`records`), in a transaction rolled
back at its end; each test runs in a savepoint of its own, undone after it. Models of allauth
and Django (email addresses, authenticators, user sessions, groups) keep their libraries' own
admin forms and are left to those libraries' tests.
"""

from datetime import date, datetime

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from zeal import zeal_ignore

from .cases import Case, build_world
from .strategies import HOSTILE_SNIPPETS, unsafe_text
from .test_forms import FUZZ, _client, send

PORTAL_APPS = {"toolkit_portal", "partnerships", "survivors", "trainings"}
MODELS = sorted(
    model._meta.label for model in admin.site._registry if model._meta.app_label in PORTAL_APPS
)

TEXT_WORST = ["a\x00b", "\x1b[31m<script>alert(1)</script>", "x" * 100_001]
NUMBER_WORST = ["-1", "9" * 40, "NaN"]
DATE_WORST = ["0001-01-01", "9999-12-31"]
TIME_WORST = ["23:59:59", "25:00"]
CHOICE_WORST = ["9" * 40, "\x00"]


def _model_admin(label):
    return next(ma for m, ma in admin.site._registry.items() if m._meta.label == label)


def _raw_id_reads(label):
    """The admin's raw-id boxes read the chosen record of each box on its own (a label beside
    the box): django-zeal would take a page showing two of them for an N+1."""
    model_admin = _model_admin(label)
    fields = [model_admin.model._meta.get_field(name) for name in model_admin.raw_id_fields]
    return [{"model": field.related_model._meta.label} for field in fields]


def post(client, case, url, body):
    """`test_forms.send` through the admin, its raw-id labels let through."""
    with zeal_ignore(_raw_id_reads(case.tables[0])):
        return send(client, case, url, body)


def check(label, body, response, before, after):
    """A 200 with the form's errors leaves the tables as they were; a redirect saved rows
    that pass their model's validation."""
    assert response.status_code in (200, 302), f"{label}: {response.status_code} for {body!r}"
    if response.status_code == 200:
        assert response.context["adminform"].form.errors or response.context["errors"], (
            f"{label}: a 200 without errors for {body!r}"
        )
        assert after == before, f"{label}: a refused form changed the table, for {body!r}"
    assert after["invalid"] == {}, f"{label}: saved rows do not validate, for {body!r}"
    for pk, row in after[label].items():
        if before[label].get(pk) != row:
            for column, value in row.items():
                reason = unsafe_text(value)
                assert reason is None, f"{label}.{column} saved with {reason}: {body!r}"


def _form_class(label, user, obj=None):
    """The admin's add form (or change form of `obj`), and the management data of its inlines
    (with no rows: an inline's existing rows are left as they are)."""
    request = RequestFactory().get("/")
    request.user = user
    model_admin = _model_admin(label)
    allowed = (
        model_admin.has_add_permission(request)
        if obj is None
        else model_admin.has_change_permission(request, obj)
    )
    if not allowed:
        return None, {}
    inlines = {}
    for inline in model_admin.get_inline_instances(request, obj):
        prefix = inline.get_formset(request, obj).get_default_prefix()
        inlines[f"{prefix}-TOTAL_FORMS"] = "0"
        inlines[f"{prefix}-INITIAL_FORMS"] = "0"
    return model_admin.get_form(request, obj, change=obj is not None), inlines


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def _initial_body(form_class, instance):
    """A body the add form would see from `instance`'s values (or an empty one)."""
    form = form_class(instance=instance)
    body = {}
    for name, field in form.fields.items():
        value = form[name].value()
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                body[f"{name}_{index}"] = _as_text(part)
        elif isinstance(field, forms.BooleanField):
            if value:
                body[name] = "on"
        elif isinstance(value, list | tuple):
            body[name] = [_as_text(item) for item in value]
        elif isinstance(field, forms.JSONField):
            body[name] = field.prepare_value(value) if value is not None else ""
        else:
            body[name] = _as_text(value)
    return body


def _worst_values(name, field):
    """(the body keys to set, each worst value) for one field, by its kind."""
    if isinstance(field.widget, forms.MultiWidget):
        return [
            {f"{name}_0": day, f"{name}_1": moment}
            for day in DATE_WORST
            for moment in TIME_WORST[:1]
        ] + [{f"{name}_0": "2026-01-01", f"{name}_1": TIME_WORST[1]}]
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return [{name: ["\x00"]}, {name: ["9" * 40, "-1"]}]
    if isinstance(field, forms.ModelChoiceField | forms.TypedChoiceField | forms.ChoiceField):
        return [{name: value} for value in CHOICE_WORST]
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return [{name: value} for value in NUMBER_WORST]
    if isinstance(field, forms.DateTimeField):
        return [{name: f"{day} 23:59:59"} for day in DATE_WORST]
    if isinstance(field, forms.DateField):
        return [{name: day} for day in DATE_WORST]
    if isinstance(field, forms.BooleanField):
        return [{name: "\x00"}]
    if isinstance(field, forms.JSONField):
        return [{name: "{"}, {name: '{"a": "\\u0000"}'}]
    if isinstance(field, forms.EmailField):
        return [{name: "a@" + "x" * 300 + ".org"}, {name: "a\x00@example.org"}]
    if isinstance(field, forms.URLField):
        return [{name: "javascript:alert(1)"}, {name: "http://" + "x" * 5000 + ".org"}]
    return [{name: value} for value in TEXT_WORST]


@pytest.fixture(scope="module")
def records(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas, the fuzz world, the demo data and a record of each model neither makes,
    once for the module's tests, in a transaction rolled back when they are done. Each test
    runs in a savepoint of its own (pytest-django's `db`), undone after it."""
    from tests.personas import personas_for_a_module

    media_root = tmp_path_factory.mktemp("media")
    with personas_for_a_module(django_db_blocker, media_root) as (personas, partnership_x):
        world = build_world(personas, partnership_x)
        # An add form starts from the world's first record of its model (none: the empty
        # form), whatever the demo data adds after.
        first = {
            label: _model_admin(label).model.objects.order_by("pk").first() for label in MODELS
        }
        _records_for_every_admin(world, personas)
        yield personas, first


@pytest.fixture
def personas(records, db):
    """The module's personas (instead of the root conftest's, made for each test)."""
    return records[0]


@pytest.fixture
def admin_form(label, personas, records):
    """(case, the admin's client, the add address, the admin's form class, a base body)."""
    user = personas["admin"]
    form_class, inlines = _form_class(label, user)
    if form_class is None:
        pytest.skip(f"{label}: the admin adds no such record")
    model = form_class._meta.model
    case = Case("admin", None, None, (label,))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    base = {**_initial_body(form_class, records[1][label]), **inlines}
    return case, _client(personas, "admin"), url, form_class, base


def _records_for_every_admin(world, personas):
    """The fuzz world and the demo data, and a record of each model neither makes."""
    from django.contrib.contenttypes.models import ContentType

    from partnerships.models import PartnershipProposal, ProgressNote
    from portal_site.demo import load_demo
    from survivors.models import Feedback, PrivateDetails, ProfileView
    from tests.partnerships.factories import GoalFactory, InvitationFactory
    from toolkit_portal.models import CalendarFeed, Notification

    load_demo()
    profile, accepted = world["profile"], world["accepted"]
    coordinator = personas["coordinator"]
    PrivateDetails.objects.create(profile=profile, legal_name="Legal Name")
    ProfileView.objects.create(profile=profile, viewer=coordinator)
    Feedback.objects.create(request=accepted, partnership=world["x"], went_well="Paid on time")
    InvitationFactory(partnership=world["x"])
    ProgressNote.objects.create(
        goal=GoalFactory(partnership=world["x"]), text="Met", author=coordinator
    )
    CalendarFeed.objects.create(user=personas["consultant"], token="a-feed-token")
    PartnershipProposal.objects.create(
        proposer=personas["pending_coordinator"],
        name="Western Slope Task Force",
        areas_served="Mesa",
    )
    Notification.objects.create(
        kind="request_new",
        recipient=personas["consultant"],
        content_type=ContentType.objects.get_for_model(accepted),
        object_id=str(accepted.pk),
        occasion="sent",
    )


@pytest.fixture
def admin_change_form(label, personas):
    """(case, the admin's client, a record's change address, its change form class, the
    record's own values as a body)."""
    user = personas["admin"]
    model = _model_admin(label).model
    record = model.objects.order_by("pk").first()
    assert record is not None, f"{label}: add a record to _records_for_every_admin"
    form_class, inlines = _form_class(label, user, record)
    if form_class is None:
        pytest.skip(f"{label}: the admin changes no such record")
    case = Case("admin", None, None, (label,))
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk]
    )
    base = {**_initial_body(form_class, record), **inlines}
    return case, _client(personas, "admin"), url, form_class, base


def _spoiled_bodies(form_class, base):
    """No field at all, each field's worst values in turn, then every field sent twice."""
    spoiled = [{}]
    for name, field in form_class.base_fields.items():
        spoiled.extend({**base, **change} for change in _worst_values(name, field))
    spoiled.append(
        {
            key: [*(value if isinstance(value, list) else [value]), "\x00"]
            for key, value in base.items()
        }
    )
    return spoiled


@pytest.mark.parametrize("label", MODELS)
def test_admin_add_worst_values(label, admin_form):
    case, client, url, form_class, base = admin_form
    for body in _spoiled_bodies(form_class, base):
        check(label, body, *post(client, case, url, body))


@pytest.mark.parametrize("label", MODELS)
def test_admin_change_worst_values(label, admin_change_form):
    """The same on a record's change page: a refused change leaves the record as it was."""
    case, client, url, form_class, base = admin_change_form
    for body in _spoiled_bodies(form_class, base):
        check(label, body, *post(client, case, url, body))


@FUZZ
@given(data=st.data())
@pytest.mark.parametrize("label", ["survivors.Engagement"])
def test_admin_add_fuzz(label, admin_form, data):
    case, client, url, form_class, base = admin_form
    name = data.draw(st.sampled_from(sorted(form_class.base_fields)), label="field")
    worst = _worst_values(name, form_class.base_fields[name])
    change = data.draw(
        st.one_of(
            st.sampled_from(worst),
            st.sampled_from(HOSTILE_SNIPPETS).map(lambda text: {name: text}),
            st.text(max_size=40).map(lambda text: {name: text}),
        ),
        label="change",
    )
    body = {**base, **change}
    check(label, body, *post(client, case, url, body))


def test_every_admin_form_and_inline_row_checks_its_input(personas):
    """Every admin form, and every row of every inline, refuses control characters and
    out-of-reach dates (CleanInput): a new admin or inline without CheckedInput fails here."""
    from toolkit_portal.input_checks import CleanInput

    request = RequestFactory().get(reverse("admin:index"))
    request.user = personas["admin"]
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {
            "toolkit_portal",
            "partnerships",
            "survivors",
            "trainings",
        }:
            continue
        if not issubclass(model_admin.get_form(request), CleanInput):
            unchecked.append(model._meta.label)
        for inline in model_admin.get_inline_instances(request):
            if not issubclass(inline.get_formset(request).form, CleanInput):
                unchecked.append(f"{model._meta.label} inline {type(inline).__name__}")
    assert not unchecked, unchecked
