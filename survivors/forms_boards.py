"""Forms of the survivor side of a partnership: recommendations, their answers, boards, board
meetings and seats."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from partnerships.forms import DateInput
from partnerships.models import Partnership
from toolkit_portal.input_checks import CleanInput

from .models import Board, Engagement, Recommendation


class RecommendationForm(CleanInput, forms.Form):
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

    is_anonymous = forms.BooleanField(
        label=_("Send without my name"),
        required=False,
        help_text=Recommendation._meta.get_field("is_anonymous").help_text,
    )

    def __init__(self, *args, partnerships, engagements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["engagement"].queryset = engagements
        self.fields["engagement"].label_from_instance = lambda engagement: (
            f"{engagement.display_title} — {engagement.partnership.name}, "
            f"{date_format(timezone.localtime(engagement.starts_at))}"
        )


class BoardRecommendationForm(CleanInput, forms.Form):
    invalid_message = _("Write the board's recommendation.")

    text = forms.CharField(
        label=_("The board's recommendation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class AnswerForm(CleanInput, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Recommendation.Status.choices)
    response = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("What the partnership did, or why not. The consultant reads this."),
    )


class BoardForm(CleanInput, forms.ModelForm):
    class Meta:
        model = Board
        fields = ["name", "purpose", "survivor_seats", "term_months"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class BoardMeetingForm(CleanInput, forms.Form):
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


class SeatForm(CleanInput, forms.Form):
    """Seat one of `candidates`: the consultants who accepted a seat at one of the board's
    meetings and are not serving."""

    invalid_message = _("Choose a consultant who accepted a seat, and a start date.")
    consultant = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    term_starts_on = forms.DateField(label=_("Term starts"), widget=DateInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = candidates
