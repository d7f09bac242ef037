"""Forms of the coordinator's pages (the consultant's own are in forms_me.py)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from toolkit_portal.forms import not_in_future
from toolkit_portal.input_checks import CleanInput
from toolkit_portal.vocabulary import SurvivorRole

from .models import (
    QUERY_MAX_LENGTH,
    Availability,
    CompensationPolicy,
    Engagement,
    EngagementKind,
    Expense,
    PaymentMethod,
    RateCardEntry,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DirectoryFilterForm(CleanInput, forms.Form):
    """Filters of the consultant directory; every field is optional."""

    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *SurvivorRole.choices]
    )
    language = forms.CharField(label=_("Language"), required=False, max_length=40)
    area = forms.CharField(label=_("Area served"), required=False, max_length=80)
    remote = forms.ChoiceField(
        label=_("Works"),
        required=False,
        choices=[("", _("Remote or in person")), ("yes", _("Remotely")), ("no", _("In person"))],
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        required=False,
        choices=[("", _("Any availability")), *Availability.choices],
    )
    criminal_justice = forms.BooleanField(label=_("Open to criminal-justice work"), required=False)


class EngagementForm(CleanInput, forms.ModelForm):
    roles_needed = forms.MultipleChoiceField(
        label=_("Roles needed"),
        choices=SurvivorRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Engagement
        fields = Engagement.OFFERED_FIELDS
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "response_deadline": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "content_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "compensation_amount": _(
                "Per consultant. Left empty, the partnership's rate card for this kind is used."
            ),
            "seats": _("A group of survivors, not one token voice: two or more is better."),
        }

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["partnership"].empty_label = None
        self.fields["compensation_amount"].required = False
        self.fields["title"].required = True
        if not self.instance._state.adding:
            # An engagement stays with its partnership.
            del self.fields["partnership"]
            # The portal's own title and description, as this reader sees them; posted back
            # unchanged, they stay the portal's (services.update_engagement).
            self.initial["title"] = str(self.instance.display_title)
            self.initial["description"] = str(self.instance.display_description)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        deadline = cleaned.get("response_deadline")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The engagement cannot end before it starts."))
        if starts and deadline and deadline > starts:
            self.add_error(
                "response_deadline", _("Ask for an answer before the engagement starts.")
            )
        if self.instance._state.adding and starts and starts < timezone.now():
            self.add_error("starts_at", _("A new engagement must start in the future."))
        if cleaned.get("mode") in ("in_person", "hybrid") and not cleaned.get("location"):
            self.add_error("location", _("Say where the engagement takes place."))
        return cleaned


class ReleaseForm(forms.Form):
    """Beside the engagement form: consultants to release if the engagement now involves the
    criminal justice system, which they did not opt in to."""

    release = forms.MultipleChoiceField(
        label=_(
            "If the engagement now involves the criminal justice system, release these "
            "consultants (they did not opt in to such work)"
        ),
        help_text=_(
            "Their requests are withdrawn with a kind notice, and nothing counts against them."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, prefix="release", **kwargs)
        self.fields["release"].choices = [(str(r.pk), r.consultant_name) for r in requests]


class InviteForm(forms.Form):
    consultants = forms.MultipleChoiceField(
        label=_("Consultants to invite"), widget=forms.CheckboxSelectMultiple
    )
    confirm_single_seat = forms.BooleanField(
        label=_(
            "I have considered that a single survivor in a group can be made the token voice "
            "of all survivors, and want to send this anyway."
        ),
        required=False,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultants"].choices = [(str(p.pk), p.display_name) for p in candidates]


class CompletionForm(CleanInput, forms.Form):
    """Hours and expenses of one accepted consultant, and a decision on each expense line she
    added that waits for one (`request_obj.lines_to_decide`)."""

    DECISIONS = [("approve", _("Approve")), ("query", _("Query"))]

    hours_worked = forms.DecimalField(
        label=_("Hours worked"), min_value=0, max_value=1000, decimal_places=2
    )
    preparation_hours = forms.DecimalField(
        label=_("Preparation hours"), min_value=0, max_value=1000, decimal_places=2, initial=0
    )
    travel_hours = forms.DecimalField(
        label=_("Travel hours"), min_value=0, max_value=1000, decimal_places=2, initial=0
    )

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj
        for kind, label in Expense.Kind.choices:
            self.fields[f"expense_{kind}"] = forms.DecimalField(
                label=_("%(expense)s (USD)") % {"expense": label},
                min_value=0,
                max_value=100000,
                decimal_places=2,
                required=False,
            )
            self.fields[f"expense_{kind}_note"] = forms.CharField(
                label=_("Note on %(expense)s") % {"expense": label.lower()},
                max_length=200,
                required=False,
            )
        self.lines = [
            line for line in getattr(request_obj, "her_lines", []) if line.awaits_decision()
        ]
        for line in self.lines:
            # Named after its line: several radio groups share the page.
            amount = number_format(line.amount, decimal_pos=2, force_grouping=True)
            self.fields[f"decision_{line.pk}"] = forms.ChoiceField(
                label=format_lazy("{}: {} ${}", _("Decision"), line.kind_label(), amount),
                choices=self.DECISIONS,
                widget=forms.RadioSelect,
                error_messages={"required": _("Approve or query this expense.")},
            )
            self.fields[f"question_{line.pk}"] = forms.CharField(
                label=_("Question for the consultant"),
                max_length=QUERY_MAX_LENGTH,
                required=False,
                help_text=_("Needed to query. She reads it and can change the line."),
            )

    def entry_fields(self):
        """Hours and the lines the coordinator enters, in order (crispy renders them)."""
        return [
            self[name] for name in self.fields if not name.startswith(("decision_", "question_"))
        ]

    def line_rows(self):
        """Each of her lines, with its decision and question fields when it waits for one."""
        waiting = {line.pk for line in self.lines}
        return [
            {
                "line": line,
                "decision": self[f"decision_{line.pk}"] if line.pk in waiting else None,
                "question": self[f"question_{line.pk}"] if line.pk in waiting else None,
            }
            for line in getattr(self.request_obj, "her_lines", [])
        ]

    def clean(self):
        cleaned = super().clean()
        for line in self.lines:
            question = (cleaned.get(f"question_{line.pk}") or "").strip()
            if cleaned.get(f"decision_{line.pk}") == "query" and not question:
                self.add_error(
                    f"question_{line.pk}", _("Write a short question for the consultant.")
                )
        return cleaned

    def record(self):
        data = self.cleaned_data
        return {
            "hours_worked": data["hours_worked"],
            "preparation_hours": data.get("preparation_hours") or Decimal("0"),
            "travel_hours": data.get("travel_hours") or Decimal("0"),
            "expenses": [
                {
                    "kind": kind,
                    "amount": data[f"expense_{kind}"],
                    "note": data.get(f"expense_{kind}_note", ""),
                }
                for kind, _label in Expense.Kind.choices
                if data.get(f"expense_{kind}")
            ],
            "decisions": {
                line.pk: {
                    "approve": data[f"decision_{line.pk}"] == "approve",
                    "message": data.get(f"question_{line.pk}", ""),
                }
                for line in self.lines
            },
        }


class ExpenseQueryForm(CleanInput, forms.Form):
    """A coordinator's question about one of her expense lines."""

    message = forms.CharField(
        label=_("Question for the consultant"),
        max_length=QUERY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write a short question for the consultant.")},
    )


class MarkPaidForm(CleanInput, forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)

    def clean_paid_on(self):
        return not_in_future(
            self.cleaned_data["paid_on"], _("The payment date cannot be in the future.")
        )


class ThankYouForm(CleanInput, forms.Form):
    invalid_message = _("Write a note before sending it.")

    note = forms.CharField(
        label=_("Thank-you note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompensationPolicyForm(forms.ModelForm):
    payment_methods = forms.MultipleChoiceField(
        label=_("Payment methods offered"),
        choices=PaymentMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=True,
        help_text=_(
            "Offer more than one: some survivors must protect public benefits and prefer a gift "
            "card or voucher."
        ),
    )

    class Meta:
        model = CompensationPolicy
        fields = ["payment_methods"]


class RateCardEntryForm(forms.ModelForm):
    class Meta:
        model = RateCardEntry
        fields = ["kind", "hourly_rate", "pays_preparation", "pays_travel"]


RateCardFormSet = forms.inlineformset_factory(
    CompensationPolicy,
    RateCardEntry,
    form=RateCardEntryForm,
    extra=len(EngagementKind.choices),
    max_num=len(EngagementKind.choices),
    # A forged form count builds and shows no more forms than there are kinds (Django's
    # default allows a thousand more, slow to build and render).
    absolute_max=len(EngagementKind.choices),
    can_delete=True,
)
