"""Forms a survivor consultant fills in on their own pages (/me/…).

Forms only parse and check input; every change goes through survivors.services.
"""

from decimal import Decimal

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from toolkit_portal.forms import DateInput, checkboxes, private_upload
from toolkit_portal.input_checks import CleanInput
from toolkit_portal.language import language_choices
from toolkit_portal.vocabulary import SurvivorRole

from .models import (
    Availability,
    ConsultantProfile,
    Expense,
    Feedback,
    PaymentMethod,
    PrivateDetails,
    ReminderKind,
    validate_receipt,
)

CONFIRM_DELETE_WORD = _("DELETE")


def _helper(*layout):
    """Crispy renders the fields; each template writes its own <form> and buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


class CommaSeparatedField(forms.CharField):
    """A list typed as "English, Spanish": trimmed, without blanks or repeats."""

    def __init__(self, *, item_max_length, max_items=20, **kwargs):
        self.item_max_length = item_max_length
        self.max_items = max_items
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        items, seen = [], set()
        for item in text.split(","):
            item = " ".join(item.split())
            if item and item.casefold() not in seen:
                seen.add(item.casefold())
                items.append(item)
        return items

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(value) > self.max_items:
            raise forms.ValidationError(
                _("List at most %(max)s, separated by commas."), params={"max": self.max_items}
            )
        too_long = [item for item in value if len(item) > self.item_max_length]
        if too_long:
            raise forms.ValidationError(
                _("“%(item)s” is too long: at most %(max)s characters each."),
                params={"item": too_long[0][:30], "max": self.item_max_length},
            )


# The profile form's sections, in the order she reads them.
PROFILE_SECTIONS = [
    (_("About you"), ["display_name", "pronouns", "bio"]),
    (
        _("What you offer"),
        [
            "roles",
            "languages",
            "areas_served",
            "works_remote",
            "works_in_person",
            "preferred_rate",
            "rate_basis",
        ],
    ),
    (_("Your limits"), ["monthly_capacity", "availability", "paused_until"]),
    (_("Who can find you"), ["criminal_justice_opt_in", "is_listed"]),
    (_("How to reach you"), ["contact_email", "contact_phone"]),
    (_("Reminders"), ["language", "emailed_kinds"]),
]


class ProfileForm(CleanInput, forms.ModelForm):
    roles = checkboxes(_("Roles you offer"), SurvivorRole.choices)
    languages = CommaSeparatedField(
        label=_("Languages"),
        item_max_length=40,
        help_text=_("Separate them with commas, for example: English, Spanish."),
    )
    areas_served = CommaSeparatedField(
        label=_("Areas you serve"),
        item_max_length=80,
        help_text=_("Cities, counties or regions, separated by commas."),
    )
    emailed_kinds = checkboxes(
        _("Email me about…"),
        ReminderKind.choices,
        help_text=_(
            "Untick what you do not want by email. Every reminder still appears in your "
            "in-app inbox, and nothing else is ever sent."
        ),
    )

    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        required=False,
        help_text=_("The language of your pages, emails and reminders."),
    )

    class Meta:
        model = ConsultantProfile
        # The sections' fields but the two kept elsewhere (the account's language, and the
        # reminders she wants by email, kept as the ones she does not).
        fields = [
            name
            for _title, names in PROFILE_SECTIONS
            for name in names
            if name not in {"language", "emailed_kinds"}
        ]
        labels = {
            "works_remote": _("I work remotely"),
            "works_in_person": _("I work in person"),
            "criminal_justice_opt_in": _(
                "I am open to work that involves the criminal justice system"
            ),
            "is_listed": _("List me to approved coordinators"),
        }
        help_texts = {
            "pronouns": _("Optional."),
            "bio": _("Optional. What you would like coordinators to know about your work."),
            "preferred_rate": _("Optional, in US dollars."),
            "monthly_capacity": _(
                "How many engagements a month you want at most. Requests beyond it are refused "
                "for you, with no explanation needed from you."
            ),
            "availability": _(
                "Open: any request within your capacity. Limited: only engagements you can "
                "join remotely, still within your capacity; requests for in-person-only "
                "engagements are refused for you, with no explanation needed from you. "
                "Paused: no requests until the date you choose."
            ),
            "paused_until": _("Needed only when your availability is paused."),
            "criminal_justice_opt_in": _(
                "Off unless you choose it. Survivors are often, and understandably, reluctant "
                "to be involved in investigations, prosecutions or court cases, and no one "
                "should be pressured into them. While this is off, engagements that involve "
                "the criminal justice system are never sent to you. You can change it at any "
                "time."
            ),
            "is_listed": _(
                "Hidden by default. When listed, approved coordinators who passed two-factor "
                "sign-in can find your display name, roles, languages, areas and availability. "
                "They never see your contact details, legal name or payment details. You can "
                "see below who opened your profile."
            ),
            "contact_email": _(
                "Where requests reach you. Shown to no one. Leave it as your account email or "
                "use another address."
            ),
            "contact_phone": _("Optional. Shown to no one."),
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "availability": forms.RadioSelect,
            "rate_basis": forms.RadioSelect,
            "paused_until": DateInput,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.initial.setdefault("language", user.language)
        if self.instance._state.adding and not self.initial.get("contact_email"):
            self.initial["contact_email"] = user.email
        self.initial.setdefault(
            "emailed_kinds",
            [kind for kind in ReminderKind.values if kind not in self.instance.email_muted_kinds],
        )
        # Only the display name is needed (rule 4): choices left empty keep their defaults.
        self.fields["availability"].required = False
        self.fields["rate_basis"].required = False
        self.fields["monthly_capacity"].max_value = 31
        self.fields["monthly_capacity"].widget.attrs.update({"min": 0, "max": 31})
        self.helper = _helper(*(Fieldset(title, *names) for title, names in PROFILE_SECTIONS))

    def clean_monthly_capacity(self):
        capacity = self.cleaned_data["monthly_capacity"]
        if capacity is not None and capacity > 31:
            raise forms.ValidationError(_("At most 31 engagements a month."))
        return capacity

    def clean(self):
        cleaned = super().clean()
        for name in ("availability", "rate_basis"):
            if name not in self.errors and not cleaned.get(name):
                cleaned[name] = ConsultantProfile._meta.get_field(name).default
        availability = cleaned.get("availability")
        paused_until = cleaned.get("paused_until")
        if availability == Availability.PAUSED:
            if paused_until is None and "paused_until" not in self.errors:
                self.add_error(
                    "paused_until",
                    _("Choose the date your pause ends. You can change it whenever you like."),
                )
            elif paused_until is not None and paused_until < timezone.localdate():
                self.add_error("paused_until", _("Choose today or a later date."))
        elif availability:
            # A pause date means nothing unless paused; keep no stale one.
            cleaned["paused_until"] = None
        return cleaned

    def save(self, commit=True):
        profile = super().save(commit=False)
        emailed = set(self.cleaned_data.get("emailed_kinds") or [])
        profile.email_muted_kinds = [k for k in ReminderKind.values if k not in emailed]
        if commit:
            profile.save()
            language = self.cleaned_data.get("language")
            if language and language != self.user.language:
                self.user.language = language
                self.user.save(update_fields=["language"])
        return profile


class PrivateDetailsForm(CleanInput, forms.ModelForm):
    class Meta:
        model = PrivateDetails
        fields = ["legal_name", "mailing_address", "payment_details"]
        help_texts = {
            "legal_name": _("Optional. Needed only if a partnership must issue a tax form."),
            "mailing_address": _("Optional. For example, where a check can be sent."),
            "payment_details": _(
                "Optional. For example, the account for direct deposit. Only you and "
                "administrators with a dedicated permission can read it."
            ),
        }
        widgets = {
            "mailing_address": forms.Textarea(attrs={"rows": 3}),
            "payment_details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.helper = _helper()


class ConsentForm(CleanInput, forms.Form):
    """What the consultant agrees to for one engagement; changeable until it starts."""

    consent_story_shared = forms.BooleanField(
        label=_("My story may be shared"),
        required=False,
        help_text=_("Leave this unticked if your own story must not be told or retold."),
    )
    consent_off_limits = forms.CharField(
        label=_("Topics that are off limits"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything you will not discuss or be asked about. Optional."),
    )
    consent_recording = forms.BooleanField(label=_("Recording is allowed"), required=False)
    consent_media = forms.BooleanField(label=_("Media or press may attend"), required=False)
    consent_name_to_use = forms.CharField(
        label=_("Name to use"),
        required=False,
        max_length=80,
        help_text=_("Your display name or another pseudonym. Empty means your display name."),
    )

    def __init__(self, *args, prefix="consent", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.helper = _helper()

    def service_fields(self):
        return {"consent": self.cleaned_data}

    @classmethod
    def initial_for(cls, request):
        return {
            "consent_story_shared": request.consent_story_shared,
            "consent_off_limits": request.consent_off_limits,
            "consent_recording": request.consent_recording,
            "consent_media": request.consent_media,
            "consent_name_to_use": request.consent_name_to_use
            or (request.consultant.display_name if request.consultant else ""),
        }


class DeclineForm(CleanInput, forms.Form):
    prefix = "decline"

    reason = forms.CharField(
        label=_("Reason (optional, private)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "You do not need to give a reason. If you write one, only the coordinators of this "
            "partnership can read it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def service_fields(self):
        return {"reason": self.cleaned_data["reason"]}


class WithdrawForm(DeclineForm):
    """Leaving an accepted engagement: a reason as for a decline, and a tick to confirm."""

    prefix = "withdraw"

    confirm = forms.BooleanField(
        label=_("Yes, I want to withdraw from this engagement"),
        error_messages={"required": _("Tick the box to confirm that you want to withdraw.")},
    )


class FeedbackForm(CleanInput, forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["went_well", "to_improve", "felt_respected", "is_anonymous"]
        widgets = {
            "went_well": forms.Textarea(attrs={"rows": 3}),
            "to_improve": forms.Textarea(attrs={"rows": 3}),
            "felt_respected": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "feedback")
        super().__init__(*args, **kwargs)
        self.fields["felt_respected"].choices = [
            (n, label) for n, label in self.fields["felt_respected"].choices if n != ""
        ]
        self.fields["felt_respected"].required = False
        self.fields["felt_respected"].help_text = _("1 means not at all, 5 means completely.")
        self.helper = _helper(
            "went_well", "to_improve", InlineRadios("felt_respected"), "is_anonymous"
        )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f) for f in ("went_well", "to_improve", "felt_respected")):
            raise forms.ValidationError(
                _("Write what went well or what could be better, or choose a rating.")
            )
        return cleaned

    def service_fields(self):
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How would you like to be paid?"),
        widget=forms.RadioSelect,
        help_text=_(
            "Choose what is safest for you. A gift card or voucher can help if you must "
            "protect public benefits. Bank or mailing details stay in your private details, "
            "which coordinators never see."
        ),
    )

    def __init__(self, *args, methods, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(PaymentMethod.choices)
        self.fields["method"].choices = [(m, labels[m]) for m in methods if m in labels]
        self.helper = _helper()

    def service_fields(self):
        return {"method": self.cleaned_data["method"]}


class NotReceivedForm(CleanInput, forms.Form):
    prefix = "missing"

    note = forms.CharField(
        label=_("What happened?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the check never arrived, or the card did not work. The partnership's "
            "coordinators read this note and the payment is reopened."
        ),
        error_messages={"required": _("Write a short note so the coordinators can follow up.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def service_fields(self):
        return {"note": self.cleaned_data["note"]}


class ExpenseForm(CleanInput, forms.Form):
    """One expense line of hers, with an optional receipt. On the change page, `line` is the
    line changed: its receipt can then be kept, replaced or removed."""

    kind = forms.ChoiceField(label=_("Expense"), choices=Expense.Kind.choices)
    amount = forms.DecimalField(
        label=_("Amount (USD)"), min_value=Decimal("0.01"), max_value=100000, decimal_places=2
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("For example: 42 miles there and back, or three hours of childcare."),
    )
    receipt = forms.FileField(
        label=_("Receipt (optional)"), required=False, validators=[validate_receipt]
    )
    remove_receipt = forms.BooleanField(label=_("Remove the receipt"), required=False)

    def __init__(self, *args, line=None, **kwargs):
        kwargs.setdefault("prefix", "expense")
        super().__init__(*args, **kwargs)
        self.line = line
        private_upload(
            self.fields["receipt"],
            _(
                "A PDF or an image (PNG, JPEG or WebP) of at most %(limit)d MB. Only you, the "
                "partnership's coordinators and the portal's administrators can open it."
            ),
        )
        if line is None or not line.receipt:
            del self.fields["remove_receipt"]
        else:
            self.fields["receipt"].label = _("A new receipt (optional)")
            self.fields["receipt"].help_text = format_lazy(
                "{} {}", _("It replaces the one you sent."), self.fields["receipt"].help_text
            )
        self.helper = _helper()

    def service_fields(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "amount": data["amount"],
            "note": data["note"],
            "receipt": data.get("receipt"),
            **({"remove_receipt": data["remove_receipt"]} if "remove_receipt" in data else {}),
        }


class DeleteAccountForm(forms.Form):
    confirmation = forms.CharField(
        label=format_lazy(_("Type {word} to confirm"), word=CONFIRM_DELETE_WORD),
        max_length=20,
        help_text=_("This cannot be undone."),
    )

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"].strip()
        if typed != str(CONFIRM_DELETE_WORD):
            raise forms.ValidationError(
                _("Type the word %(word)s in capital letters to confirm."),
                params={"word": CONFIRM_DELETE_WORD},
            )
        return typed

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmation"].widget.attrs["autocomplete"] = "off"
        self.helper = _helper()
