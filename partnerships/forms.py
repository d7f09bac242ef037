from django import forms
from django.utils.translation import gettext_lazy as _

from toolkit_portal.input_checks import CleanInput
from toolkit_portal.vocabulary import FourP, Sector

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
    invalid_message = _("Choose a role.")

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


class ProposalForm(CleanInput, forms.Form):
    """The partnership a coordinator awaiting approval coordinates. Member organizations are
    numbered rows (name and sector), a few more than she has already given."""

    ROWS = 5

    name = forms.CharField(label=_("Partnership name"), max_length=200)
    areas_served = forms.CharField(
        label=_("Region or areas served"),
        max_length=300,
        help_text=_("Counties, cities or regions, separated by commas."),
    )
    focus = forms.MultipleChoiceField(
        label=_("The 4Ps it works on"),
        choices=FourP.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, proposal=None, **kwargs):
        if proposal is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": proposal.name,
                "areas_served": proposal.areas_served,
                "focus": proposal.focus,
                **{
                    f"organization_{n}": org["name"]
                    for n, org in enumerate(proposal.organizations, 1)
                },
                **{f"sector_{n}": org["sector"] for n, org in enumerate(proposal.organizations, 1)},
            }
        super().__init__(*args, **kwargs)
        given = len(proposal.organizations) if proposal else 0
        self.row_count = max(self.ROWS, given + 2)
        for n in range(1, self.row_count + 1):
            self.fields[f"organization_{n}"] = forms.CharField(
                label=_("Member organization %(n)d") % {"n": n}, max_length=200, required=False
            )
            self.fields[f"sector_{n}"] = forms.ChoiceField(
                label=_("Sector of organization %(n)d") % {"n": n},
                choices=[("", "—"), *Sector.choices],
                required=False,
            )

    def organization_rows(self):
        return [
            (self[f"organization_{n}"], self[f"sector_{n}"]) for n in range(1, self.row_count + 1)
        ]

    def clean(self):
        data = super().clean()
        for n in range(1, self.row_count + 1):
            if data.get(f"organization_{n}") and not data.get(f"sector_{n}"):
                self.add_error(f"sector_{n}", _("Choose the sector this organization brings."))
        return data

    def proposal_fields(self):
        data = self.cleaned_data
        return {
            "name": data["name"],
            "areas_served": data["areas_served"],
            "focus": data["focus"],
            "organizations": [
                {"name": data[f"organization_{n}"], "sector": data[f"sector_{n}"]}
                for n in range(1, self.row_count + 1)
                if data.get(f"organization_{n}")
            ],
        }
