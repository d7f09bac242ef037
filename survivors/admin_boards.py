"""The admin of survivor leader boards and recommendations (imported by survivors/admin.py).
A partnership's admin page lists its boards too: survivors adds the inline to it."""

from django.contrib import admin

from partnerships.admin import PartnershipAdmin
from toolkit_portal.admin_widgets import CheckedInput

from .models import Board, BoardMeeting, BoardMember, Recommendation


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


PartnershipAdmin.inlines = [*PartnershipAdmin.inlines, BoardInline]


@admin.register(Recommendation)
class RecommendationAdmin(CheckedInput, admin.ModelAdmin):
    # Admins only: the one place an anonymous recommendation's consultant is shown.
    list_display = ["partnership", "consultant", "is_anonymous", "status", "created_at"]
    list_filter = ["status", "is_anonymous", "partnership"]
    search_fields = ["text", "response", "partnership__name", "consultant__display_name"]
    list_select_related = ["partnership", "consultant"]
    autocomplete_fields = ["partnership"]
    raw_id_fields = ["consultant", "engagement", "answered_by"]


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
    search_fields = ["engagement__title", "engagement__portal_text_subject", "board__name"]
    list_select_related = ["engagement", "board"]
    raw_id_fields = ["engagement", "board"]
