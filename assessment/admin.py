from django.contrib import admin

from toolkit_portal.admin_widgets import CheckedInput

from .models import Answer, AssessmentRound, InstrumentVersion, Item, Priority, Rater


class ItemInline(CheckedInput, admin.TabularInline):
    model = Item
    extra = 0
    fields = ["position", "code", "key_area", "principle", "four_r", "statement_en", "statement_es"]

    def _in_use(self, obj):
        return obj is not None and obj.rounds.exists()

    # A version that rounds answered keeps its wording: revise it in a new version.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._in_use(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._in_use(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._in_use(obj)


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["number", "title", "published_on", "is_current"]
    list_filter = ["is_current"]
    inlines = [ItemInline]


class RaterInline(CheckedInput, admin.TabularInline):
    model = Rater
    extra = 0
    fields = ["user", "kind", "participation_request", "invited_at"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "user",
                "round__partnership",
                "participation_request__consultant",
                "participation_request__engagement",
            )
        )

    def has_add_permission(self, request, obj=None):
        return False


class PriorityInline(CheckedInput, admin.TabularInline):
    model = Priority
    extra = 0
    fields = ["key_area", "reason", "goal", "created_by"]
    readonly_fields = ["created_by"]
    raw_id_fields = ["goal"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("goal", "created_by")


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["title", "partnership", "version", "opened_at", "closes_on", "closed_at"]
    list_filter = ["partnership", "version"]
    search_fields = ["title", "partnership__name"]
    list_select_related = ["partnership", "version"]
    autocomplete_fields = ["partnership"]
    raw_id_fields = ["engagement", "opened_by", "closed_by"]
    readonly_fields = ["opened_at"]
    inlines = [RaterInline, PriorityInline]


@admin.register(Answer)
class AnswerAdmin(CheckedInput, admin.ModelAdmin):
    """Answers are given by raters in the portal; once their round closes they are read-only
    here too."""

    list_display = ["item", "level", "rater", "updated_at"]
    list_filter = ["rater__round__partnership", "rater__kind", "level"]
    list_select_related = ["item", "rater__user", "rater__round__partnership"]
    search_fields = ["item__code", "rater__round__title"]
    fields = ["rater", "item", "level", "comment", "updated_at"]
    readonly_fields = ["rater", "item", "updated_at"]

    def has_add_permission(self, request):
        return False

    def _closed(self, obj):
        return obj is not None and obj.rater.round.is_closed()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._closed(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._closed(obj)
