from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from toolkit_portal.admin_actions import run_each
from toolkit_portal.admin_widgets import CheckedInput
from toolkit_portal.downloads import as_download
from toolkit_portal.storage import download_link

from . import csv_io, services
from .choices import RequestStatus
from .forms import HOW_IT_RUNS, CsvImportForm
from .models import Evaluation, GrowthGoal, Provider, Training, TrainingRecord, TrainingRequest


@admin.register(Provider)
class ProviderAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["name", "website", "training_count"]
    search_fields = ["name", "description", "website"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(training_total=Count("trainings"))

    @admin.display(description=_("trainings"), ordering="training_total")
    def training_count(self, provider):
        return provider.training_total


class SuggestedFilter(admin.SimpleListFilter):
    title = _("origin")
    parameter_name = "origin"

    def lookups(self, request, model_admin):
        return [
            ("suggested", _("Suggested by a portal user")),
            ("toolkit", _("Listed in the toolkit")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "suggested":
            return queryset.filter(suggested_by__isnull=False)
        if self.value() == "toolkit":
            return queryset.filter(in_toolkit=True)
        return queryset


def _publication(wanted):
    return services.publish_training if wanted else services.unpublish_training


@admin.register(Training)
class TrainingAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["title", "provider", "delivery", "format", "cost", "on_site", "is_published"]
    list_filter = [
        "is_published",
        SuggestedFilter,
        "delivery",
        "format",
        "cost",
        "on_site",
        "provider",
    ]
    search_fields = ["title", "description", "toolkit_notes", "provider__name"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["suggested_by", "published_at", "created_at"]
    actions = ["publish", "unpublish", "export_csv"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "provider", "is_published", "in_toolkit"]}),
        (_("How it runs"), {"fields": HOW_IT_RUNS}),
        (_("What it covers"), {"fields": ["description", "toolkit_notes", "audiences", "topics"]}),
        (
            _("What it strengthens"),
            {"fields": ["key_areas", "principles", "growth_areas"]},
        ),
        (
            _("Review"),
            {"fields": ["suggested_by", "published_at", "created_at"]},
        ),
    ]

    def get_urls(self):
        return [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="trainings_training_import",
            ),
            path(
                "export-csv/",
                self.admin_site.admin_view(self.export_all_view),
                name="trainings_training_export",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        # Publishing from the change form goes through the same rules as the action.
        if change and "is_published" in form.changed_data:
            wanted = obj.is_published
            obj.is_published = not wanted
            super().save_model(request, obj, form, change)
            _publication(wanted)(training=obj, actor=request.user)
            obj.refresh_from_db()
            return
        if obj.is_published and not obj.published_at:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)

    def _set_published(self, request, queryset, wanted):
        def done(n):
            if wanted:
                text = ngettext("%(n)d training published.", "%(n)d trainings published.", n)
            else:
                text = ngettext("%(n)d training unpublished.", "%(n)d trainings unpublished.", n)
            return text % {"n": n}

        service = _publication(wanted)
        run_each(
            self,
            request,
            queryset,
            lambda training: service(training=training, actor=request.user),
            done,
        )

    @admin.action(description=_("Publish selected trainings"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish selected trainings"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _csv_response(self, queryset):
        response = HttpResponse(
            csv_io.export_catalog(queryset), content_type="text/csv; charset=utf-8"
        )
        return as_download(response, f"training-catalog-{timezone.localdate().isoformat()}.csv")

    @admin.action(description=_("Export selected trainings as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._csv_response(queryset)

    def export_all_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._csv_response(Training.objects.all())

    def import_csv_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = CsvImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
                created, updated = csv_io.import_catalog(text, actor=request.user)
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            except csv_io.CsvImportError as error:
                form.add_error("file", str(error))
            else:
                self.message_user(
                    request,
                    _("Import done: %(created)d created, %(updated)d updated.")
                    % {"created": created, "updated": updated},
                    messages.SUCCESS,
                )
                return redirect("admin:trainings_training_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import trainings from CSV"),
            "columns": csv_io.COLUMNS,
        }
        return TemplateResponse(request, "admin/trainings/training/import_csv.html", context)


@admin.register(TrainingRequest)
class TrainingRequestAdmin(CheckedInput, admin.ModelAdmin):
    list_display = [
        "training",
        "partnership",
        "status",
        "preferred_from",
        "preferred_until",
        "audience_size",
        "scheduled_for",
        "created_at",
    ]
    list_filter = ["status", "training__provider", "partnership"]
    search_fields = ["training__title", "partnership__name", "notes"]
    list_select_related = ["training", "partnership"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "training",
        "partnership",
        "requested_by",
        "preferred_from",
        "preferred_until",
        "audience_size",
        "notes",
        "status",
        "status_changed_at",
        "created_at",
    ]
    fields = [*readonly_fields[:8], "scheduled_for", *readonly_fields[8:]]
    actions = ["mark_scheduled", "mark_held", "mark_declined"]

    def has_add_permission(self, request):
        return False  # requests come from coordinators, through the portal

    def _move(self, request, queryset, status):
        run_each(
            self,
            request,
            queryset,
            lambda training_request: services.change_request_status(
                training_request=training_request, status=status, actor=request.user
            ),
            lambda n: ngettext("%(n)d request updated.", "%(n)d requests updated.", n) % {"n": n},
        )

    @admin.action(description=_("Mark as scheduled"), permissions=["change"])
    def mark_scheduled(self, request, queryset):
        self._move(request, queryset, RequestStatus.SCHEDULED)

    @admin.action(description=_("Mark as held"), permissions=["change"])
    def mark_held(self, request, queryset):
        self._move(request, queryset, RequestStatus.HELD)

    @admin.action(description=_("Mark as declined"), permissions=["change"])
    def mark_declined(self, request, queryset):
        self._move(request, queryset, RequestStatus.DECLINED)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["training", "person", "completed_on", "hours", "has_certificate"]
    list_filter = ["completed_on", "training__provider"]
    search_fields = ["training__title", "person__email"]
    list_select_related = ["training", "person"]
    autocomplete_fields = ["person", "training"]
    readonly_fields = ["certificate_link", "certificate_type", "created_at"]
    exclude = ["certificate"]

    @admin.display(boolean=True, description=_("certificate"))
    def has_certificate(self, record):
        return bool(record.certificate)

    @admin.display(description=_("certificate"))
    def certificate_link(self, record):
        return download_link(record.certificate, "mytrainings:certificate", record.pk)


@admin.register(Evaluation)
class EvaluationAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["record", "rating", "comment_hidden", "created_at"]
    list_filter = ["rating", "comment_hidden"]
    search_fields = ["comment", "record__training__title"]
    list_select_related = ["record__training"]
    readonly_fields = ["record", "rating", "comment", "created_at", "updated_at"]
    actions = ["hide_comments", "show_comments"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Hide the selected comments"), permissions=["change"])
    def hide_comments(self, request, queryset):
        queryset.update(comment_hidden=True)

    @admin.action(description=_("Show the selected comments"), permissions=["change"])
    def show_comments(self, request, queryset):
        queryset.update(comment_hidden=False)


@admin.register(GrowthGoal)
class GrowthGoalAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["area", "person", "achieved_on", "created_at"]
    list_filter = ["area", "achieved_on"]
    search_fields = ["person__email", "description"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]
