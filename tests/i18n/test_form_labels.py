"""Every form the portal has, read in Spanish, has no label, help text, placeholder or choice
left in English.

Each page of the access matrix is opened by every role of `ROLES` it shows itself to, first
in Spanish and then in English, and the forms and formsets in its templates' contexts are
compared field by field: a text that reads the same in both languages is one that was never
translated (a model field without a verbose name, a label not marked for translation, a
msgid missing from the catalog). The forms of the apps' `forms` modules that no page shows
on a GET (an action's form, whose fields the page writes out itself; the admin's import)
are built directly, in each language, from `NOT_ON_A_PAGE`. The admin's form of each of the
portal's models, its inlines and its read-only fields are read in both languages too.

A text the Spanish catalog translates to itself ("Panel", "Sector") was read by a
translator and is the same in Spanish. What people entered (a ModelChoiceField's
partnerships, a consultant's name among the choices, an email address) is shown as entered
and is not compared.
"""

import importlib
import inspect
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.forms.formsets import BaseFormSet
from django.test import RequestFactory
from django.test.utils import ContextList
from django.utils import translation

import tests.test_access_matrix as access
from survivors.models import ConsultantProfile
from tests.auth import mfa_login

from .catalog import spanish_catalog
from .test_pages_in_spanish import _get, _kwargs_and_get_answers

# The access matrix's records, built once for the whole walk.
matrix_objects = access.matrix_objects

# Texts that are rightly the same in both languages and not in the catalog. Keep this
# short: every entry needs its reason.
SAME_IN_BOTH = {
    "English": "the language choice names each language in itself",
    "Español": "the language choice names each language in itself",
    "ID": "Django's own label of a record's number, the same in its Spanish",
}
# Forms no page shows on a GET, with the arguments to build them from `matrix_objects`.
NOT_ON_A_PAGE = {
    "MembershipRoleForm": lambda o: {},  # the members page writes out its role switch
    # The board page writes out its seat form.
    "SeatForm": lambda o: {"candidates": ConsultantProfile.objects.filter(pk=o["profile"].pk)},
    "InviteForm": lambda o: {"candidates": [o["profile"]]},  # the directory's batch request
    # Shown for accepted consultants only; the matrix's request is pending.
    "CompletionForm": lambda o: {"request_obj": o["request"]},
    "CsvImportForm": lambda o: {},  # the admin's catalog import
}
# Who opens the pages: the consultant and coordinator of another partnership meet the same
# forms as A and X's coordinator.
ROLES = ["anonymous", "consultant", "pending_coordinator", "coordinator", "admin"]
LETTERS = re.compile(r"[A-Za-z]")


def _forms_of(response):
    """The forms a page rendered (each formset's forms included), once each, in the order
    its templates met them."""
    contexts = response.context
    if contexts is None:
        return []
    if not isinstance(contexts, ContextList):
        contexts = [contexts]
    found = {}
    for context in contexts:
        for value in context.flatten().values():
            values = value if isinstance(value, list | tuple) else [value]
            for item in values:
                if isinstance(item, BaseFormSet):
                    for form in [*item.forms, item.empty_form]:
                        found.setdefault(id(form), form)
                elif isinstance(item, forms.BaseForm):
                    found.setdefault(id(item), item)
    return list(found.values())


def _choices(field):
    """The label of each choice a person reads, optgroups flattened."""
    for _value, label in field.choices:
        if isinstance(label, list | tuple):
            yield from (inner for _v, inner in label)
        else:
            yield label


def _texts(form_list):
    """{(form, field, what): text} of every visible field of the forms, in the language
    active now (a form of a class met twice is told apart by its rank: "Form#2")."""
    texts = {}
    rank = defaultdict(int)
    for form in form_list:
        name = type(form).__qualname__
        rank[name] += 1
        where = f"{name}#{rank[name]}"
        for field_name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            texts[where, field_name, "label"] = str(form[field_name].label)
            if field.help_text:
                texts[where, field_name, "help text"] = str(field.help_text)
            if field.widget.attrs.get("placeholder"):
                texts[where, field_name, "placeholder"] = str(field.widget.attrs["placeholder"])
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                for index, label in enumerate(_choices(field), start=1):
                    texts[where, field_name, f"choice {index}"] = str(label)
    return texts


def _speak(client, user, code):
    """The next requests in `code`: saved on a signed-in person's account, as the language
    switch does, and in the visitor's cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    if user is not None:
        user.language = code
        user.save(update_fields=["language"])


def _pages(role):
    for name, entry in sorted(access.MATRIX.items()):
        kwargs, expected = _kwargs_and_get_answers(entry)
        if expected.get(role) == 200:
            yield name, kwargs


def _same_in_spanish():
    """The catalog's texts that its translator kept as they are, also as a label shows them
    (Django capitalizes a field's verbose name: "sector" -> "Sector")."""
    kept = {entry.msgid for entry in spanish_catalog() if entry.msgstr == entry.msgid}
    return kept | {text[:1].upper() + text[1:] for text in kept} | set(SAME_IN_BOTH)


def _entered(objects, personas):
    """Every text of the records the pages show, as people or factories entered it."""
    values = set()
    for record in [*objects.values(), *(user for user in personas.values() if user)]:
        for field in getattr(getattr(record, "_meta", None), "concrete_fields", []):
            value = getattr(record, field.attname, None)
            if isinstance(value, str):
                values.add(value)
    return values


def _untranslated(spanish, english, allowed):
    return {
        key: text
        for key, text in spanish.items()
        if english.get(key) == text and LETTERS.search(text) and text not in allowed
    }


def _describe(left):
    return {
        f"{form.split('#')[0]}.{field} {what}: {text!r}"
        for (form, field, what), text in left.items()
    }


def _portal_apps():
    """The portal's own apps (each a folder of the project), not the installed packages."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve() == base.joinpath(*config.name.split("."))
    ]


def _portal_form_classes():
    """{name: class} of the forms defined in the portal's own apps' `forms` modules."""
    found = {}
    for config in _portal_apps():
        for module_file in sorted(Path(config.path).glob("forms*.py")):
            module = importlib.import_module(f"{config.name}.{module_file.stem}")
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found[name] = cls
    return found


@pytest.mark.django_db
def test_every_form_reads_in_spanish(client, personas, matrix_objects):
    # Status codes are the access matrix's business; this walk reads the pages that render.
    client.raise_request_exception = False
    allowed = _same_in_spanish() | _entered(matrix_objects, personas)
    problems = defaultdict(set)
    forms_read = set()
    for role in ROLES:
        user = personas[role]
        client.logout()
        if user is not None:
            mfa_login(client, user)
        _speak(client, user, "es")
        spanish = {}
        for name, kwargs in _pages(role):
            _url, response = _get(client, name, kwargs, matrix_objects)
            if response.status_code == 200 and (texts := _texts(_forms_of(response))):
                spanish[name] = (kwargs, texts)
                forms_read |= {form.split("#")[0] for form, _field, _what in texts}
        _speak(client, user, "en")
        for name, (kwargs, texts) in spanish.items():
            _url, response = _get(client, name, kwargs, matrix_objects)
            left = _untranslated(texts, _texts(_forms_of(response)), allowed)
            problems[f"{name} as {role}"] |= _describe(left)

    defined = _portal_form_classes()
    assert set(NOT_ON_A_PAGE) <= set(defined), "NOT_ON_A_PAGE names a form that is gone"
    unread = set(defined) - forms_read
    unlisted = sorted(unread - set(NOT_ON_A_PAGE))
    assert not unlisted, f"No page showed these forms: add them to NOT_ON_A_PAGE: {unlisted}"
    for name in sorted(unread):
        built = {}
        for code in ("es", "en"):
            with translation.override(code):
                form = defined[name](**NOT_ON_A_PAGE[name](matrix_objects))
                built[code] = _texts([form])
        problems[f"{name}, built directly"] |= _describe(
            _untranslated(built["es"], built["en"], allowed)
        )
    translation.activate("en")

    # The walk did read forms: the engagement form, the profile, the catalog's search, …
    assert {"EngagementForm", "ProfileForm", "CatalogSearchForm", "LoginForm"} <= forms_read
    problems = {page: lines for page, lines in problems.items() if lines}
    assert not problems, "Form texts left in English on Spanish pages:\n" + "\n".join(
        f"{page}:\n  " + "\n  ".join(sorted(lines)) for page, lines in sorted(problems.items())
    )


def _admin_texts(model, model_admin, request):
    """The texts of a model's admin page: its form, its inlines' forms and the labels of its
    read-only fields (a record's history, shown but not edited)."""
    texts = _texts([model_admin.get_form(request)()])
    for inline in model_admin.get_inline_instances(request):
        formset = inline.get_formset(request)(instance=model())
        for (_form, *rest), text in _texts([formset.empty_form]).items():
            texts[type(inline).__name__, *rest] = text
    for name in model_admin.get_readonly_fields(request):
        texts["read-only", name, "label"] = str(label_for_field(name, model, model_admin))
    return texts


@pytest.mark.django_db
def test_every_admin_form_reads_in_spanish(personas):
    request = RequestFactory().get("/admin/")
    request.user = personas["admin"]
    portal_apps = {config.label for config in _portal_apps()}
    allowed = _same_in_spanish()
    problems = defaultdict(set)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in portal_apps:
            continue
        checked += 1
        built = {}
        for code in ("es", "en"):
            with translation.override(code):
                built[code] = _admin_texts(model, model_admin, request)
        problems[model._meta.label] |= _describe(_untranslated(built["es"], built["en"], allowed))
    assert checked > 20
    problems = {model: lines for model, lines in problems.items() if lines}
    assert not problems, "Admin form texts left in English in Spanish:\n" + "\n".join(
        f"{model}:\n  " + "\n  ".join(sorted(lines)) for model, lines in sorted(problems.items())
    )
