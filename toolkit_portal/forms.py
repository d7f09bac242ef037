from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .language import current_language, language_choices
from .models import Role
from .uploads import ACCEPT, certificate_max_bytes


class SignupForm(forms.Form):
    """Extra sign-up field: which of the two self-service roles the person takes."""

    role = forms.ChoiceField(
        label=_("I am signing up as"),
        choices=[
            (
                Role.CONSULTANT,
                _("A survivor consultant (a survivor leader working as a paid consultant)"),
            ),
            (Role.COORDINATOR, _("A task force partnership coordinator")),
        ],
        widget=forms.RadioSelect,
        help_text=_("Coordinator accounts are reviewed by an administrator before they open."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        required=False,  # left out, the language the page was shown in
        help_text=_("Used for your pages, emails and reminders. You can change it at any time."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = current_language()

    def signup(self, request, user):
        user.role = self.cleaned_data["role"]
        user.language = self.cleaned_data.get("language") or current_language()
        user.save(update_fields=["role", "language"])


def not_in_future(day, message):
    """A date field's clean: `day` itself, or a ValidationError with `message` when `day` is
    after today in the portal's time zone."""
    if day > timezone.localdate():
        raise forms.ValidationError(message)
    return day


def private_upload(field, help_text):
    """A certificate or receipt field: `help_text` under it, with the size limit in MB as its
    %(limit)d, and a file picker that offers only the kinds the upload checks accept."""
    field.help_text = help_text % {"limit": certificate_max_bytes() // (1024 * 1024)}
    field.widget.attrs["accept"] = ACCEPT


class DateInput(forms.DateInput):
    """The browser's date picker."""

    input_type = "date"


def checkboxes(label, choices, **kwargs):
    """An optional choice of several values, one checkbox each."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )
