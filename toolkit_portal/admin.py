from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .admin_actions import run_each
from .admin_widgets import CheckedInput
from .models import AuditEntry, CalendarFeed, Notification, User


class ApprovalFilter(admin.SimpleListFilter):
    title = _("approval")
    parameter_name = "approved"

    def lookups(self, request, model_admin):
        return [("pending", _("Awaiting approval")), ("approved", _("Approved"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(approved_at__isnull=True)
        if self.value() == "approved":
            return queryset.filter(approved_at__isnull=False)
        return queryset


@admin.register(User)
class UserAdmin(CheckedInput, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "role", "approved_at", "is_active", "is_staff", "date_joined"]
    list_filter = ["role", ApprovalFilter, "is_active", "is_staff"]
    search_fields = ["email"]
    readonly_fields = ["approved_at", "approved_by", "date_joined", "last_login"]
    list_select_related = ["approved_by"]
    actions = ["approve_coordinators"]
    fieldsets = [
        (None, {"fields": ["email", "password", "role"]}),
        (_("Coordinator approval"), {"fields": ["approved_at", "approved_by"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]}),
    ]

    @admin.action(description=_("Approve selected coordinator accounts"))
    def approve_coordinators(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda user: services.approve_coordinator(coordinator=user, actor=request.user),
            lambda count: (
                ngettext(
                    "%(count)d coordinator approved.", "%(count)d coordinators approved.", count
                )
                % {"count": count}
            ),
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(CheckedInput, admin.ModelAdmin):
    """The audit trail: readable by admins, never editable."""

    list_display = ["at", "actor_label", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "action", "object_id", "object_label"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "status", "attempts", "sent_at", "read_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "kind", "occasion", "last_error"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry delivery of the selected failed notifications"))
    def retry(self, request, queryset):
        from django.utils import timezone

        from .tasks import deliver_notification

        ids = list(queryset.filter(status=Notification.Status.FAILED).values_list("id", flat=True))
        Notification.objects.filter(id__in=ids).update(
            status=Notification.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        for pk in ids:
            deliver_notification.delay_on_commit(pk)
        self.message_user(request, _("%(count)d queued again.") % {"count": len(ids)})


@admin.register(CalendarFeed)
class CalendarFeedAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "token", "created_at"]

    def has_add_permission(self, request):
        return False
