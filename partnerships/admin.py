from django.contrib import admin

from toolkit_portal.admin_widgets import CheckedInput

from .models import (
    Answer,
    AssessmentRound,
    Board,
    BoardMeeting,
    BoardMember,
    Goal,
    InstrumentVersion,
    Invitation,
    Item,
    Membership,
    Organization,
    Partnership,
    Position,
    Priority,
    ProgressNote,
    Rater,
    Recommendation,
)


class MembershipInline(CheckedInput, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class OrganizationInline(CheckedInput, admin.TabularInline):
    model = Organization
    extra = 0
    fields = ["name", "sector", "role", "contact_name", "contact_email", "mou_signed_on"]


class GoalInline(CheckedInput, admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["title", "four_p", "owner", "target_date", "status"]
    show_change_link = True


class ProgressNoteInline(CheckedInput, admin.TabularInline):
    model = ProgressNote
    extra = 0
    fields = ["noted_on", "text", "author"]
    raw_id_fields = ["author"]


class BoardInline(CheckedInput, admin.TabularInline):
    model = Board
    extra = 0
    fields = ["name", "survivor_seats", "term_months"]
    show_change_link = True


class BoardMemberInline(CheckedInput, admin.TabularInline):
    model = BoardMember
    extra = 0
    fields = ["consultant", "term_starts_on", "term_ends_on"]
    raw_id_fields = ["consultant"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("consultant", "board")


class BoardMeetingInline(CheckedInput, admin.TabularInline):
    model = BoardMeeting
    extra = 0
    raw_id_fields = ["engagement"]


@admin.register(Partnership)
class PartnershipAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["name", "slug", "state", "year_established", "is_listed", "created_at"]
    list_filter = ["is_listed", "state"]
    search_fields = ["name", "slug", "summary", "areas_served"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganizationInline, MembershipInline, GoalInline, BoardInline]


@admin.register(Membership)
class MembershipAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["user", "partnership", "role", "created_at"]
    list_filter = ["role", "partnership"]
    search_fields = ["user__email", "partnership__name"]
    autocomplete_fields = ["user", "partnership"]
    list_select_related = ["user", "partnership"]


@admin.register(Organization)
class OrganizationAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["name", "partnership", "sector", "role", "mou_signed_on"]
    list_filter = ["sector", "role", "partnership"]
    search_fields = ["name", "contact_name", "contact_email", "partnership__name"]
    autocomplete_fields = ["partnership"]
    list_select_related = ["partnership"]


@admin.register(Goal)
class GoalAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["title", "partnership", "four_p", "status", "target_date", "owner"]
    list_filter = ["four_p", "key_area", "status", "partnership"]
    search_fields = ["title", "strategy", "owner", "partnership__name"]
    autocomplete_fields = ["partnership"]
    list_select_related = ["partnership"]
    date_hierarchy = "target_date"
    inlines = [ProgressNoteInline]


@admin.register(Invitation)
class InvitationAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["email", "partnership", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "partnership"]
    search_fields = ["email", "partnership__name"]
    list_select_related = ["partnership"]
    readonly_fields = ["invited_by", "accepted_by", "accepted_at", "created_at"]
    autocomplete_fields = ["partnership"]


@admin.register(Recommendation)
class RecommendationAdmin(CheckedInput, admin.ModelAdmin):
    # Admins only: the one place an anonymous recommendation's consultant is shown.
    list_display = ["partnership", "consultant", "is_anonymous", "status", "created_at"]
    list_filter = ["status", "is_anonymous", "partnership"]
    search_fields = ["text", "response", "partnership__name", "consultant__display_name"]
    list_select_related = ["partnership", "consultant"]
    autocomplete_fields = ["partnership"]
    raw_id_fields = ["consultant", "engagement", "answered_by"]


@admin.register(ProgressNote)
class ProgressNoteAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["goal", "noted_on", "author"]
    list_filter = ["noted_on", "goal__partnership"]
    search_fields = ["text", "goal__title"]
    list_select_related = ["goal", "author"]
    raw_id_fields = ["goal", "author"]


@admin.register(Board)
class BoardAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["name", "partnership", "survivor_seats", "term_months"]
    list_filter = ["partnership"]
    search_fields = ["name", "purpose", "partnership__name"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["partnership"]
    inlines = [BoardMemberInline, BoardMeetingInline]


@admin.register(BoardMember)
class BoardMemberAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["consultant", "board", "term_starts_on", "term_ends_on"]
    list_filter = ["board__partnership", "term_ends_on"]
    search_fields = ["consultant__display_name", "board__name"]
    list_select_related = ["consultant", "board"]
    raw_id_fields = ["consultant", "board"]


@admin.register(BoardMeeting)
class BoardMeetingAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["engagement", "board"]
    list_filter = ["board__partnership"]
    search_fields = ["engagement__title", "board__name"]
    list_select_related = ["engagement", "board"]
    raw_id_fields = ["engagement", "board"]


@admin.register(Position)
class PositionAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["title", "organization", "partnership", "schedule", "closes_on"]
    list_filter = ["schedule", "lived_experience_counts", "partnership", "closes_on"]
    search_fields = ["title", "organization", "description", "partnership__name"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["partnership"]
    raw_id_fields = ["created_by"]


# The trauma-informed self-assessment ---------------------------------------------------------


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
