"""The admin's forms, safe with any posted value.

Their text and date fields take the portal's `CleanInput` checks: a date-time of the last
minute of year 9999, stored in UTC, fell in year 10000, and every page reading the record
then failed.

Django's autocomplete widget looks a refused form's posted value up in the database to show
it again; a value the key column cannot hold (a NUL, a word where a number belongs, a
malformed UUID) made that lookup raise, and the page answered 500 instead of the form with
its errors. These widgets drop such values before the lookup: the field's own message says
what was wrong.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

from .input_checks import CleanInput


class _KeepValidKeys:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        options = remote.model._meta
        field_name = getattr(remote, "field_name", None)
        key = options.get_field(field_name) if field_name else options.pk
        kept = []
        for item in value:
            try:
                key.to_python(item)
            except (ValidationError, ValueError, TypeError):
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class SafeAutocompleteSelect(_KeepValidKeys, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KeepValidKeys, AutocompleteSelectMultiple):
    pass


def _checked(form):
    if issubclass(form, CleanInput):
        return form
    return type(form.__name__, (CleanInput, form), {"__module__": form.__module__})


class CheckedInput:
    """A ModelAdmin or inline mixin: its form (an inline's rows too) takes `CleanInput` and
    its `autocomplete_fields` use the widgets above."""

    def get_form(self, request, obj=None, **kwargs):
        return _checked(super().get_form(request, obj, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _checked(formset.form)
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
