from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

import assessment.urls
import partnerships.urls
import survivors.urls_partnership
from portal_site import views as home_views
from reports.urls import partnership_patterns as report_patterns
from reports.urls import state_patterns as state_report_patterns
from toolkit_portal import language, metrics, views, views_inbox

# The admin login goes through allauth, so admins meet its rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Task Force Partnership Portal")
admin.site.site_title = _("Partnership Portal admin")

# Every page under /partnerships/ is named `partnerships:…`, whichever app serves it: the apps
# above `partnerships` add their pages to its list. Fixed addresses come before "<slug>/".
partnership_pages = [
    *survivors.urls_partnership.fixed_urlpatterns,
    *partnerships.urls.urlpatterns,
    *survivors.urls_partnership.urlpatterns,
    *assessment.urls.urlpatterns,
]

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("quick-exit/", views.quick_exit, name="quick-exit"),
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
    # Reports for funders and boards: a partnership's (its coordinators) and the state's (admins).
    path("partnerships/<slug:slug>/reports/", include((report_patterns, "reports"))),
    path("reports/state/", include((state_report_patterns, "statereports"))),
    path("partnerships/", include((partnership_pages, "partnerships"))),
    path("trainings/", include("trainings.urls")),
    path("me/", include("trainings.urls_me")),
    path("me/", include("survivors.urls_myboards")),
    path("", include("survivors.urls")),
    re_path(
        r"^admin/partnerships/(?P<model>{})/(?P<rest>.*)$".format(
            "|".join(home_views.MOVED_ADMIN_MODELS)
        ),
        home_views.moved_admin_page,
        name="moved-admin-page",
    ),
    path("admin/", admin.site.urls),
]
