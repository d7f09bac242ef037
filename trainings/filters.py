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


class TrainingFilter(django_filters.FilterSet):
    delivery = django_filters.MultipleChoiceFilter(
        label=_("Delivery"), choices=Delivery.choices, widget=forms.CheckboxSelectMultiple
    )
    format = django_filters.MultipleChoiceFilter(
        label=_("Format"), choices=Format.choices, widget=forms.CheckboxSelectMultiple
    )
    audience = django_filters.MultipleChoiceFilter(
        label=_("Audience"),
        field_name="audiences",
        choices=Audience.choices,
        method=_any_of,
        widget=forms.CheckboxSelectMultiple,
    )
    topic = django_filters.MultipleChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        choices=Topic.choices,
        method=_any_of,
        widget=forms.CheckboxSelectMultiple,
    )
    cost = django_filters.MultipleChoiceFilter(
        label=_("Cost"), choices=Cost.choices, widget=forms.CheckboxSelectMultiple
    )
    key_area = django_filters.MultipleChoiceFilter(
        label=_("Key area"),
        field_name="key_areas",
        choices=KeyArea.choices,
        method=_any_of,
        widget=forms.CheckboxSelectMultiple,
    )
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
