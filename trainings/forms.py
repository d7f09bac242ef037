from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership
from toolkit_portal.forms import DateInput, checkboxes, not_in_future, private_upload
from toolkit_portal.input_checks import CleanInput
from toolkit_portal.vocabulary import KeyArea, Principle

from .choices import Audience, Cost, Delivery, Format, GrowthArea, Topic
from .models import Evaluation, GrowthGoal, Training, TrainingRecord, TrainingRequest

# A training's fields that say how it runs, as the suggestion form and the admin group them.
HOW_IT_RUNS = ["delivery", "format", "cost", "on_site", "length_hours", "url", "location"]


class CatalogSearchForm(forms.Form):
    q = forms.CharField(label=_("Search trainings"), required=False, max_length=200)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("relevance", _("Best match")),
            ("title", _("Title (A–Z)")),
            ("rating", _("Highest rated")),
            ("shortest", _("Shortest first")),
            ("newest", _("Newest first")),
        ],
    )

    def search_terms(self):
        if self.is_valid():
            return self.cleaned_data["q"].strip(), self.cleaned_data["sort"] or "relevance"
        # An invalid search still searches, for what can be searched: no NUL, which
        # PostgreSQL refuses in a query.
        q = str(self.data.get("q") or "")[:200].replace("\x00", "")
        return q.strip(), "relevance"


class SuggestTrainingForm(CleanInput, forms.ModelForm):
    provider_name = forms.CharField(
        label=_("Who offers it"),
        max_length=200,
        help_text=_("The organization or person that runs the training."),
    )
    provider_website = forms.URLField(
        label=_("Their website"), required=False, assume_scheme="https"
    )
    audiences = checkboxes(_("Who it is for"), Audience.choices)
    topics = checkboxes(_("Topics"), Topic.choices)
    key_areas = checkboxes(_("Key areas it strengthens"), KeyArea.choices)
    principles = checkboxes(_("Principles it strengthens"), Principle.choices)

    class Meta:
        model = Training
        fields = [
            "title",
            "provider_name",
            "provider_website",
            *HOW_IT_RUNS,
            "description",
            "audiences",
            "topics",
            "key_areas",
            "principles",
        ]
        labels = {"url": _("Web address of the training"), "description": _("What it covers")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].assume_scheme = "https"
        self.fields["delivery"].choices = Delivery.choices
        self.fields["format"].choices = Format.choices
        self.fields["cost"].choices = Cost.choices

    def training_fields(self):
        data = dict(self.cleaned_data)
        data.pop("provider_name"), data.pop("provider_website")
        return data


class TrainingRecordForm(CleanInput, forms.ModelForm):
    training = forms.ModelChoiceField(
        label=_("Training"),
        queryset=Training.objects.none(),
        empty_label=_("Choose the training you completed"),
    )

    class Meta:
        model = TrainingRecord
        fields = ["training", "completed_on", "hours", "certificate", "note"]
        widgets = {
            "completed_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "hours": _("How many hours it took, e.g. 6 or 1.5."),
            "note": _("Only you and the portal's administrators can read this."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = (
            Training.objects.visible_to(user).select_related("provider").order_by("title")
        )
        private_upload(
            self.fields["certificate"],
            _(
                "Optional. A PDF or an image (PNG, JPEG or WebP) of at most %(limit)d MB. "
                "Only you and the portal's administrators can open it."
            ),
        )

    def clean_completed_on(self):
        return not_in_future(
            self.cleaned_data["completed_on"], _("The completion date cannot be in the future.")
        )


class EvaluationForm(CleanInput, forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[
            (5, _("5 — excellent")),
            (4, _("4 — good")),
            (3, _("3 — fair")),
            (2, _("2 — poor")),
            (1, _("1 — very poor")),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Evaluation
        fields = ["rating", "comment"]
        labels = {"comment": _("Comment (optional)")}
        help_texts = {
            "comment": _(
                "Shown in the catalog without your name. Please leave out anything that could "
                "identify you or anyone else."
            )
        }
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}


class GrowthGoalForm(CleanInput, forms.ModelForm):
    area = forms.ChoiceField(
        label=_("What you want to grow in"), choices=GrowthArea.choices, widget=forms.RadioSelect
    )
    topics = checkboxes(_("Topics you want to learn about"), Topic.choices)

    class Meta:
        model = GrowthGoal
        fields = ["area", "topics", "description"]
        help_texts = {"description": _("Optional. Only you and the administrators can read it.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TrainingRequestForm(CleanInput, forms.ModelForm):
    class Meta:
        model = TrainingRequest
        fields = ["partnership", "preferred_from", "preferred_until", "audience_size", "notes"]
        widgets = {
            "preferred_from": DateInput(),
            "preferred_until": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "audience_size": _("About how many people would attend."),
            "notes": _("Anything the provider should know: the audience, the place, needs."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.coordinated_by(user)
        self.fields["partnership"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("preferred_from"), cleaned.get("preferred_until")
        if start and start < timezone.localdate():
            self.add_error("preferred_from", _("Choose a date from today on."))
        if start and end and end < start:
            self.add_error("preferred_until", _("This date comes before the first one."))
        return cleaned


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with the header row of an export. At most 2 MB."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return file
