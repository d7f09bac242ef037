"""The self-assessment's forms: opening a round, choosing raters, a page of answers and a
priority."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from toolkit_portal.forms import DateInput
from toolkit_portal.input_checks import CleanInput
from toolkit_portal.vocabulary import FourP


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.email


class OpenRoundForm(CleanInput, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “Spring 2027”. Raters see it."),
    )
    closes_on = forms.DateField(label=_("Closing date"), widget=DateInput)
    raters = PersonChoiceField(
        label=_("The partnership's people who rate it"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Survivor consultants are invited once the round is open."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raters"].queryset = people
        if not self.is_bound:
            self.initial.setdefault("raters", list(people))


class StaffRatersForm(forms.Form):
    people = PersonChoiceField(
        label=_("Add the partnership's people as raters"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class ConsultantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, profile):
        return profile.display_name


class InviteConsultantsForm(forms.Form):
    consultants = ConsultantChoiceField(
        label=_("Survivor consultants to invite"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Listed consultants. Each gets a paid participation request and chooses whether to "
            "take part; invite at least three so survivors' ratings can be shown."
        ),
    )
    estimated_hours = forms.DecimalField(
        label=_("Estimated hours"),
        min_value=Decimal("0.25"),
        max_digits=6,
        decimal_places=2,
        initial=Decimal("2"),
    )
    compensation_amount = forms.DecimalField(
        label=_("Hourly rate (USD)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        required=False,
        help_text=_("Left empty, the partnership's rate card for assessment reviews sets it."),
    )

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultants"].queryset = consultants


def level_choices():
    from .models import Level

    return [(str(value), f"{value} · {label}") for value, label in Level.choices] + [
        ("na", _("Not applicable"))
    ]


class AnswerPageForm(CleanInput, forms.Form):
    """One key area's statements: a level (or not applicable) and an optional comment each.
    A statement left blank is simply not answered yet."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"level-{item.pk}"] = forms.ChoiceField(
                label=item.statement(),
                choices=level_choices(),
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"comment-{item.pk}"] = forms.CharField(
                label=_("Comment (optional)"),
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=2000,
                required=False,
            )

    def rows(self):
        return [(item, self[f"level-{item.pk}"], self[f"comment-{item.pk}"]) for item in self.items]

    def answers(self):
        return {
            item.pk: (
                self.cleaned_data.get(f"level-{item.pk}", ""),
                self.cleaned_data.get(f"comment-{item.pk}", ""),
            )
            for item in self.items
        }


class PriorityForm(CleanInput, forms.Form):
    key_area = forms.ChoiceField(label=_("Key area"), choices=())
    reason = forms.CharField(
        label=_("Why this is a priority"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    goal_title = forms.CharField(label=_("Goal"), max_length=200, required=False)
    four_p = forms.ChoiceField(
        label=_("4P"), choices=[("", "---------"), *FourP.choices], required=False
    )
    strategy = forms.CharField(
        label=_("Strategy"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner = forms.CharField(label=_("Owner"), max_length=120, required=False)
    target_date = forms.DateField(label=_("Target date"), widget=DateInput, required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_area"].choices = areas
