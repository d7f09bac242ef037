from django import forms
from django.utils.translation import gettext_lazy as _

from toolkit_portal.input_checks import CleanInput
from toolkit_portal.vocabulary import FourP

from .models import Goal, Membership, Organization, Partnership, Position


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO, whatever the page's language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PartnershipProfileForm(CleanInput, forms.ModelForm):
    focus = forms.MultipleChoiceField(
        label=_("4P focus"),
        choices=FourP.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Partnership
        fields = [
            "name",
            "summary",
            "state",
            "areas_served",
            "focus",
            "year_established",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "is_listed",
        ]


class OrganizationForm(CleanInput, forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "sector",
            "role",
            "contact_name",
            "contact_email",
            "contact_phone",
            "mou_signed_on",
        ]
        widgets = {"mou_signed_on": DateInput}


class GoalForm(CleanInput, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "four_p", "key_area", "strategy", "owner", "target_date", "status"]
        widgets = {"target_date": DateInput, "strategy": forms.Textarea(attrs={"rows": 3})}


class ProgressNoteForm(CleanInput, forms.Form):
    noted_on = forms.DateField(label=_("Date"), widget=DateInput)
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class InvitationForm(CleanInput, forms.Form):
    email = forms.EmailField(label=_("Email address of the person to invite"))


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class PositionForm(CleanInput, forms.ModelForm):
    class Meta:
        model = Position
        fields = [
            "title",
            "organization",
            "schedule",
            "pay_range",
            "description",
            "how_to_apply",
            "closes_on",
            "lived_experience_counts",
        ]
        widgets = {
            "closes_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
        }
