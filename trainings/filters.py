"""The catalog's filters: each combinable with the others and with the search."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from toolkit_portal.vocabulary import KeyArea

from .choices import Audience, Cost, Delivery, Format, Topic
from .models import Training


def _any_of(queryset, name, value):
    """Array fields: a training matches when it has any of the chosen values."""
    return queryset.filter(**{f"{name}__overlap": list(value)}) if value else queryset


def _ticked(label, choices, array_field=None):
    """Checkboxes; on an array field, a training matches when it has any of the ticked values."""
    return django_filters.MultipleChoiceFilter(
        label=label,
        field_name=array_field,  # None: the filter's own name
        choices=choices,
        method=_any_of if array_field else None,
        widget=forms.CheckboxSelectMultiple,
    )


class TrainingFilter(django_filters.FilterSet):
    delivery = _ticked(_("Delivery"), Delivery.choices)
    format = _ticked(_("Format"), Format.choices)
    audience = _ticked(_("Audience"), Audience.choices, "audiences")
    topic = _ticked(_("Topic"), Topic.choices, "topics")
    cost = _ticked(_("Cost"), Cost.choices)
    key_area = _ticked(_("Key area"), KeyArea.choices, "key_areas")
    on_site = django_filters.BooleanFilter(
        label=_("Can be held at your site"),
        field_name="on_site",
        method="filter_on_site",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Training
        fields = []

    def filter_on_site(self, queryset, name, value):
        # An unticked box means "any", not "only those that cannot".
        return queryset.filter(on_site=True) if value else queryset
