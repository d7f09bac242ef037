from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role


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

    def signup(self, request, user):
        user.role = self.cleaned_data["role"]
        user.save(update_fields=["role"])
