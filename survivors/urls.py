from django.urls import path

from . import urls_me, views, views_compensation, views_directory

app_name = "survivors"

urlpatterns = [
    # The directory of listed consultants, for approved coordinators.
    path("consultants/", views_directory.consultant_directory, name="directory"),
    path("consultants/<uuid:pk>/", views_directory.consultant_detail, name="consultant-detail"),
    path("consultants/<uuid:pk>/invite/", views.consultant_invite, name="consultant-invite"),
    # Engagements and their participation requests, for coordinators.
    path("engagements/", views.engagement_list, name="engagement-list"),
    path("engagements/new/", views.engagement_create, name="engagement-create"),
    path("engagements/<uuid:pk>/", views.engagement_detail, name="engagement-detail"),
    path("engagements/<uuid:pk>/edit/", views.engagement_edit, name="engagement-edit"),
    path("engagements/<uuid:pk>/invite/", views.engagement_invite, name="engagement-invite"),
    path("engagements/<uuid:pk>/cancel/", views.engagement_cancel, name="engagement-cancel"),
    path("engagements/<uuid:pk>/complete/", views.engagement_complete, name="engagement-complete"),
    path("engagements/requests/<uuid:pk>/cancel/", views.request_cancel, name="request-cancel"),
    path("engagements/requests/<uuid:pk>/thank/", views.request_thank, name="request-thank"),
    path("engagements/expenses/<uuid:pk>/approve/", views.expense_approve, name="expense-approve"),
    path("engagements/expenses/<uuid:pk>/query/", views.expense_query, name="expense-query"),
    # Her receipt: for her, the partnership's coordinators and admins.
    path("expenses/<uuid:pk>/receipt/", views.expense_receipt, name="expense-receipt"),
    path(
        "engagements/compensation/", views_compensation.compensation_list, name="compensation-list"
    ),
    path(
        "engagements/compensation/export.csv",
        views_compensation.compensation_export,
        name="compensation-export",
    ),
    path(
        "engagements/compensation/<uuid:pk>/paid/",
        views_compensation.compensation_mark_paid,
        name="compensation-mark-paid",
    ),
    path(
        "engagements/partnerships/<slug:slug>/rates/",
        views_compensation.compensation_policy,
        name="compensation-policy",
    ),
    path(
        "engagements/partnerships/<slug:slug>/feedback/",
        views.partnership_feedback,
        name="partnership-feedback",
    ),
    *urls_me.urlpatterns,
]
