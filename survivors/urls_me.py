"""A consultant's own pages, under /me/. Included by survivors/urls.py."""

from django.urls import path

from . import views_me

urlpatterns = [
    path("me/profile/", views_me.my_profile, name="my-profile"),
    path("me/private/", views_me.my_private_details, name="my-private-details"),
    path("me/requests/", views_me.my_requests, name="my-requests"),
    path("me/requests/<uuid:pk>/", views_me.my_request_detail, name="my-request-detail"),
    path("me/requests/<uuid:pk>/accept/", views_me.my_request_accept, name="my-request-accept"),
    path("me/requests/<uuid:pk>/decline/", views_me.my_request_decline, name="my-request-decline"),
    path(
        "me/requests/<uuid:pk>/withdraw/",
        views_me.my_request_withdraw,
        name="my-request-withdraw",
    ),
    path("me/requests/<uuid:pk>/confirm/", views_me.my_request_confirm, name="my-request-confirm"),
    path("me/requests/<uuid:pk>/leave/", views_me.my_request_leave, name="my-request-leave"),
    path("me/requests/<uuid:pk>/consent/", views_me.my_request_consent, name="my-request-consent"),
    path(
        "me/requests/<uuid:pk>/revoke-consent/",
        views_me.my_request_revoke_consent,
        name="my-request-revoke-consent",
    ),
    path(
        "me/requests/<uuid:pk>/feedback/",
        views_me.my_request_feedback,
        name="my-request-feedback",
    ),
    path(
        "me/requests/<uuid:pk>/expenses/",
        views_me.my_expense_add,
        name="my-expense-add",
    ),
    path("me/expenses/<uuid:pk>/", views_me.my_expense_edit, name="my-expense-edit"),
    path("me/expenses/<uuid:pk>/remove/", views_me.my_expense_remove, name="my-expense-remove"),
    path("me/compensation/", views_me.my_compensation, name="my-compensation"),
    path(
        "me/compensation/<uuid:pk>/",
        views_me.my_compensation_detail,
        name="my-compensation-detail",
    ),
    path(
        "me/compensation/<uuid:pk>/method/",
        views_me.my_compensation_method,
        name="my-compensation-method",
    ),
    path(
        "me/compensation/<uuid:pk>/not-received/",
        views_me.my_compensation_not_received,
        name="my-compensation-not-received",
    ),
    path("me/export/", views_me.my_export, name="my-export"),
    path("me/delete/", views_me.my_delete, name="my-delete"),
]
