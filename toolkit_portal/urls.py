from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import language, metrics, views, views_inbox

# The admin login goes through allauth, so admins meet its rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Task Force Partnership Portal")
admin.site.site_title = _("Partnership Portal admin")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    # Under /accounts/ so the switch works before a second factor is set up.
    path("accounts/set-language/", language.set_language, name="set_language"),
    path("accounts/language/", language.language_settings, name="account-language"),
    path("accounts/", include("allauth.urls")),
    path("inbox/", views_inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views_inbox.inbox_mark_read, name="inbox-mark-read"),
    path("inbox/read-all/", views_inbox.inbox_mark_all_read, name="inbox-mark-all-read"),
    path("calendar/", views_inbox.calendar_settings, name="calendar-settings"),
    path("calendar/replace/", views_inbox.calendar_replace, name="calendar-replace"),
    path("calendar/revoke/", views_inbox.calendar_revoke, name="calendar-revoke"),
    path("calendar/<str:token>.ics", views_inbox.calendar_feed, name="calendar-feed"),
    path("partnerships/", include("partnerships.urls")),
    path("trainings/", include("trainings.urls")),
    path("me/", include("trainings.urls_me")),
    path("", include("survivors.urls")),
    path("admin/", admin.site.urls),
]
