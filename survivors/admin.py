from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from toolkit_portal.admin_widgets import CheckedInput
from toolkit_portal.audit import record_audit
from toolkit_portal.storage import download_link

from . import admin_boards, services  # noqa: F401 (admin_boards registers the boards' admin)
from .exports import compensation_csv
from .models import (
    Compensation,
    CompensationPolicy,
    ConsultantProfile,
    Engagement,
    Expense,
    Feedback,
    ParticipationRequest,
    PrivateDetails,
    ProfileView,
    RateCardEntry,
)


@admin.register(ConsultantProfile)
class ConsultantProfileAdmin(CheckedInput, admin.ModelAdmin):
    list_display = [
        "display_name",
        "user",
        "is_listed",
        "availability",
        "monthly_capacity",
        "criminal_justice_opt_in",
        "updated_at",
    ]
    list_filter = ["is_listed", "availability", "criminal_justice_opt_in", "works_remote"]
    search_fields = ["display_name", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(PrivateDetails)
class PrivateDetailsAdmin(CheckedInput, admin.ModelAdmin):
    """Legal names and payment details: only for admins with the dedicated permission, and
    every opening is written to the audit trail."""

    list_display = ["profile", "updated_at"]
    search_fields = ["profile__display_name", "profile__user__email"]
    autocomplete_fields = ["profile"]
    list_select_related = ["profile"]

    def _may_read(self, request):
        return request.user.has_perm("survivors.view_legal_and_payment")

    def has_module_permission(self, request):
        return self._may_read(request)

    def has_view_permission(self, request, obj=None):
        return self._may_read(request)

    def has_change_permission(self, request, obj=None):
        return self._may_read(request) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        details = self.get_object(request, object_id)
        if details is not None and self._may_read(request):
            record_audit(request.user, "survivors.private_details.read", details.profile)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ProfileView)
class ProfileViewAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["profile", "viewer", "viewed_at"]
    list_filter = ["viewed_at"]
    search_fields = ["profile__display_name", "viewer__email"]
    list_select_related = ["profile", "viewer"]
    readonly_fields = ["profile", "viewer", "viewed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RateCardEntryInline(CheckedInput, admin.TabularInline):
    model = RateCardEntry
    extra = 0


@admin.register(CompensationPolicy)
class CompensationPolicyAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["partnership", "payment_methods"]
    search_fields = ["partnership__name"]
    autocomplete_fields = ["partnership"]
    list_select_related = ["partnership"]
    inlines = [RateCardEntryInline]


class ParticipationRequestInline(CheckedInput, admin.TabularInline):
    model = ParticipationRequest
    extra = 0
    fields = ["consultant", "status", "sent_at", "answered_at", "hours_worked"]
    readonly_fields = ["sent_at", "answered_at"]
    autocomplete_fields = ["consultant"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("consultant", "engagement")


@admin.register(Engagement)
class EngagementAdmin(CheckedInput, SimpleHistoryAdmin):
    list_display = ["shown_title", "partnership", "kind", "starts_at", "seats", "status"]
    list_filter = ["status", "kind", "involves_criminal_justice", "partnership"]
    search_fields = ["title", "portal_text_subject", "description", "partnership__name"]
    autocomplete_fields = ["partnership", "created_by"]
    list_select_related = ["partnership"]
    date_hierarchy = "starts_at"
    inlines = [ParticipationRequestInline]

    @admin.display(description=_("title"), ordering="title")
    def shown_title(self, engagement):
        return engagement.display_title


class ExpenseInline(CheckedInput, admin.TabularInline):
    """Read only: lines change through the portal's pages, where every decision is audited
    and what is owed is summed again (Compensation.settle)."""

    model = Expense
    extra = 0
    fields = [
        "kind",
        "amount",
        "note",
        "added_by",
        "status",
        "query_message",
        "decided_at",
        "receipt_link",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("receipt"))
    def receipt_link(self, line):
        return download_link(line.receipt, "survivors:expense-receipt", line.pk)


class CompensationInline(CheckedInput, admin.StackedInline):
    model = Compensation
    extra = 0
    fields = ["amount", "due_on", "status", "paid_on", "paid_method", "paid_reference"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False


@admin.register(ParticipationRequest)
class ParticipationRequestAdmin(CheckedInput, SimpleHistoryAdmin):
    list_display = ["engagement", "consultant", "status", "sent_at", "answered_at"]
    list_filter = ["status", "engagement__partnership"]
    search_fields = [
        "engagement__title",
        "engagement__portal_text_subject",
        "consultant__display_name",
    ]
    autocomplete_fields = ["engagement", "consultant", "sent_by"]
    list_select_related = ["engagement", "consultant"]
    # What she agreed to and what changed since are her consent's record, kept by the
    # services when she answers and when the coordinators change the terms.
    CONSENT_RECORD = ["agreed_terms", "changed_terms", "terms_changed_at", "released_at"]
    readonly_fields = ["status", "sent_at", "answered_at", "closed_at", *CONSENT_RECORD]
    inlines = [ExpenseInline, CompensationInline]

    def get_readonly_fields(self, request, obj=None):
        # Status changes go through the services, which enforce the allowed transitions.
        if obj:
            return self.readonly_fields
        return ["sent_at", "answered_at", "closed_at", *self.CONSENT_RECORD]


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        return queryset


@admin.register(Compensation)
class CompensationAdmin(CheckedInput, SimpleHistoryAdmin):
    list_display = ["request", "partnership", "amount", "due_on", "status", "paid_on"]
    list_filter = ["status", OverdueFilter, "partnership", "paid_method"]
    search_fields = [
        "request__engagement__title",
        "request__engagement__portal_text_subject",
        "consultant__display_name",
        "paid_reference",
    ]
    autocomplete_fields = ["request", "partnership", "consultant", "marked_paid_by"]
    list_select_related = ["request__engagement", "request__consultant", "partnership"]
    date_hierarchy = "due_on"
    actions = ["mark_paid_today", "export_csv"]

    @admin.action(description=_("Mark selected as paid today (by their chosen method)"))
    def mark_paid_today(self, request, queryset):
        done = 0
        for record in queryset:
            try:
                services.mark_compensation_paid(
                    compensation=record,
                    actor=request.user,
                    paid_on=timezone.localdate(),
                    method=record.payment_method or "check",
                    # No reference: none was typed, and words of the portal's own stored here
                    # would reach the consultant in the admin's language. Who marked it paid
                    # is kept (marked_paid_by, and the audit entry).
                    reference="",
                )
            except services.EngagementError as error:
                self.message_user(request, f"{record}: {error}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)d marked paid.") % {"count": done})

    @admin.action(description=_("Export selected as CSV"))
    def export_csv(self, request, queryset):
        return compensation_csv(
            queryset.select_related(
                "partnership", "request__engagement", "request__consultant", "consultant"
            )
        )


@admin.register(Feedback)
class FeedbackAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["request", "partnership", "is_anonymous", "felt_respected", "created_at"]
    list_filter = ["is_anonymous", "partnership"]
    search_fields = ["went_well", "to_improve"]
    list_select_related = ["request__engagement", "request__consultant", "partnership"]
    autocomplete_fields = ["request", "partnership"]
