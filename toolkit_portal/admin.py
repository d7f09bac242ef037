from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import User


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
class UserAdmin(BaseUserAdmin):
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
        approved = 0
        for user in queryset:
            try:
                services.approve_coordinator(coordinator=user, actor=request.user)
            except services.AccountError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                approved += 1
        if approved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d coordinator approved.",
                    "%(count)d coordinators approved.",
                    approved,
                )
                % {"count": approved},
                messages.SUCCESS,
            )
