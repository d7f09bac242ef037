from django.contrib import admin

from .models import Membership, Partnership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_listed", "created_at"]
    list_filter = ["is_listed"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "role", "created_at"]
    list_filter = ["role", "partnership"]
    search_fields = ["user__email", "partnership__name"]
    autocomplete_fields = ["user", "partnership"]
    list_select_related = ["user", "partnership"]
