"""Dates are typed with the browser's date picker: every date field of
every form in the portal renders as <input type="date">, every date-and-time field as
<input type="datetime-local">."""

import importlib
import pkgutil

from django import forms
from django.apps import apps

APPS = ["toolkit_portal", "partnerships", "survivors", "trainings", "assessment", "reports"]


def _all_forms():
    for label in APPS:
        package = importlib.import_module(apps.get_app_config(label).name)
        for module in pkgutil.iter_modules(package.__path__):
            if module.name.startswith("forms"):
                importlib.import_module(f"{package.__name__}.{module.name}")
    seen, todo = set(), [forms.BaseForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            if cls not in seen:
                seen.add(cls)
                todo.append(cls)
    return [cls for cls in seen if cls.__module__.split(".")[0] in APPS]


def test_every_date_field_uses_the_browsers_picker():
    wrong = []
    for form in _all_forms():
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.DateTimeField):
                expected = "datetime-local"
            elif isinstance(field, forms.DateField):
                expected = "date"
            else:
                continue
            if getattr(field.widget, "input_type", None) != expected:
                wrong.append(f"{form.__module__}.{form.__name__}.{name}")
    assert not wrong, f"Date fields without the browser's picker: {sorted(wrong)}"
