from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from survivors.models import Engagement
from toolkit_portal.input_checks import CleanInput
from toolkit_portal.vocabulary import FourP

from .models import Board, Goal, Membership, Organization, Partnership, Position, Recommendation


class DateInput(forms.DateInput):
    input_type = "date"


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
            f"{engagement.title} — {engagement.partnership.name}, {engagement.starts_at:%Y-%m-%d}"
        )


class BoardRecommendationForm(CleanInput, forms.Form):
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
    consultant = forms.UUIDField(widget=forms.HiddenInput)
    term_starts_on = forms.DateField(label=_("Term starts"), widget=DateInput)


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


# The trauma-informed self-assessment ---------------------------------------------------------


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
