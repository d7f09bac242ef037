from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from toolkit_portal.admin_actions import run_each
from toolkit_portal.admin_widgets import CheckedInput

from . import models, services


class PartOfPartnershipAdmin(CheckedInput, admin.ModelAdmin):
    """A record of one partnership: its partnership picked by name, listed in the same query."""

    autocomplete_fields = ["partnership"]
    list_select_related = ["partnership"]


class MembershipInline(CheckedInput, admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["user"]


class OrganizationInline(CheckedInput, admin.TabularInline):
    model = models.Organization
    extra = 0
    fields = ["name", "sector", "role", "contact_name", "contact_email", "mou_signed_on"]


class GoalInline(CheckedInput, admin.TabularInline):
    model = models.Goal
    extra = 0
    fields = ["title", "four_p", "owner", "target_date", "status"]
    show_change_link = True


class ProgressNoteInline(CheckedInput, admin.TabularInline):
    model = models.ProgressNote
    extra = 0
    fields = ["noted_on", "text", "author"]
    raw_id_fields = ["author"]


@admin.register(models.Partnership)
class PartnershipAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["name", "slug", "state", "year_established", "is_listed", "created_at"]
    list_filter = ["is_listed", "state"]
    search_fields = ["name", "slug", "summary", "areas_served"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganizationInline, MembershipInline, GoalInline]  # survivors adds its boards


@admin.register(models.Membership)
class MembershipAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["user", "partnership", "role", "created_at"]
    list_filter = ["role", "partnership"]
    search_fields = ["user__email", "partnership__name"]
    autocomplete_fields = ["user", "partnership"]
    list_select_related = ["user", "partnership"]


@admin.register(models.Organization)
class OrganizationAdmin(PartOfPartnershipAdmin):
    list_display = ["name", "partnership", "sector", "role", "mou_signed_on"]
    list_filter = ["sector", "role", "partnership"]
    search_fields = ["name", "contact_name", "contact_email", "partnership__name"]


@admin.register(models.Goal)
class GoalAdmin(PartOfPartnershipAdmin):
    list_display = ["title", "partnership", "four_p", "status", "target_date", "owner"]
    list_filter = ["four_p", "key_area", "status", "partnership"]
    search_fields = ["title", "strategy", "owner", "partnership__name"]
    date_hierarchy = "target_date"
    inlines = [ProgressNoteInline]


@admin.register(models.Invitation)
class InvitationAdmin(PartOfPartnershipAdmin):
    list_display = ["email", "partnership", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "partnership"]
    search_fields = ["email", "partnership__name"]
    readonly_fields = ["invited_by", "accepted_by", "accepted_at", "created_at"]


@admin.register(models.ProgressNote)
class ProgressNoteAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["goal", "noted_on", "author"]
    list_filter = ["noted_on", "goal__partnership"]
    search_fields = ["text", "goal__title"]
    list_select_related = ["goal", "author"]
    raw_id_fields = ["goal", "author"]


@admin.register(models.Position)
class PositionAdmin(PartOfPartnershipAdmin):
    list_display = ["title", "organization", "partnership", "schedule", "closes_on"]
    list_filter = ["schedule", "lived_experience_counts", "partnership", "closes_on"]
    search_fields = ["title", "organization", "description", "partnership__name"]
    raw_id_fields = ["created_by"]


@admin.register(models.PartnershipProposal)
class PartnershipProposalAdmin(CheckedInput, admin.ModelAdmin):
    """Proposals from coordinators awaiting approval. The action approves the account and
    creates the partnership at once (the ground app's user admin only approves accounts, as
    it may not know partnerships)."""

    list_display = ["name", "proposer", "areas_served", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "proposer__email", "areas_served"]
    list_select_related = ["proposer"]
    readonly_fields = [
        "proposer",
        "name",
        "areas_served",
        "focus",
        "organization_list",
        "status",
        "partnership",
        "created_at",
        "updated_at",
        "decided_at",
    ]
    exclude = ["organizations"]
    actions = ["approve_and_create"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("member organizations"))
    def organization_list(self, proposal):
        return "; ".join(f"{name} ({sector})" for name, sector in proposal.organization_rows())

    @admin.action(description=_("Approve the coordinator and create the partnership"))
    def approve_and_create(self, request, queryset):
        run_each(
            self,
            request,
            queryset.select_related("proposer"),
            lambda proposal: services.approve_proposal(proposal=proposal, actor=request.user),
            lambda count: (
                ngettext(
                    "%(count)d coordinator approved and her partnership created.",
                    "%(count)d coordinators approved and their partnerships created.",
                    count,
                )
                % {"count": count}
            ),
        )
