from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from survivors.models import Engagement
from toolkit_portal.vocabulary import FourP

from .models import Board, Goal, Membership, Organization, Partnership, Position, Recommendation


class DateInput(forms.DateInput):
    input_type = "date"


class PartnershipProfileForm(forms.ModelForm):
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


class OrganizationForm(forms.ModelForm):
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


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "four_p", "strategy", "owner", "target_date", "status"]
        widgets = {"target_date": DateInput, "strategy": forms.Textarea(attrs={"rows": 3})}


class ProgressNoteForm(forms.Form):
    noted_on = forms.DateField(label=_("Date"), widget=DateInput)
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person to invite"))


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class RecommendationForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label=_("Partnership"), queryset=Partnership.objects.none()
    )
    text = forms.CharField(
        label=_("Your recommendation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("What should the partnership change, start or stop? Say it in your words."),
    )

    engagement = forms.ModelChoiceField(
        label=_("After the engagement (optional)"),
        queryset=Engagement.objects.none(),
        required=False,
        empty_label=_("Not about one engagement"),
    )

    def __init__(self, *args, partnerships, engagements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["engagement"].queryset = engagements
        self.fields["engagement"].label_from_instance = lambda engagement: (
            f"{engagement.title} — {engagement.partnership.name}, {engagement.starts_at:%Y-%m-%d}"
        )


class BoardRecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("The board's recommendation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Recommendation.Status.choices)
    response = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("What the partnership did, or why not. The consultant reads this."),
    )


class BoardForm(forms.ModelForm):
    class Meta:
        model = Board
        fields = ["name", "purpose", "survivor_seats", "term_months"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class BoardMeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput)
    response_deadline = forms.DateTimeField(label=_("Answer requested by"), widget=DateTimeInput)
    estimated_hours = forms.DecimalField(
        label=_("Estimated hours"), min_value=0, max_digits=6, decimal_places=2
    )
    compensation_amount = forms.DecimalField(
        label=_("Pay per meeting for each survivor member (USD)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class SeatForm(forms.Form):
    consultant = forms.UUIDField(widget=forms.HiddenInput)
    term_starts_on = forms.DateField(label=_("Term starts"), widget=DateInput)


class PositionForm(forms.ModelForm):
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
