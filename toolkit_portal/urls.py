from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin login goes through allauth, so admins meet its rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Task Force Partnership Portal"
admin.site.site_title = "Partnership Portal admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("admin/", admin.site.urls),
]
