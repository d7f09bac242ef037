"""The partnerships' addresses under /partnerships/. The shell (portal_site/urls.py) mounts
them in the `partnerships` namespace together with the apps above that add pages there."""

from django.urls import path

from . import views

# Fixed addresses come before "<slug>/" (their names are reserved slugs, see models.py).
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("coverage/", views.coverage, name="coverage"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("positions/", views.open_positions, name="open-positions"),
    path("propose/", views.propose, name="propose"),
    path("<slug:slug>/", views.partnership_detail, name="detail"),
    path("<slug:slug>/edit/", views.profile_edit, name="edit"),
    path("<slug:slug>/organizations/", views.organization_list, name="organizations"),
    path(
        "<slug:slug>/organizations/<int:pk>/edit/",
        views.organization_edit,
        name="organization-edit",
    ),
    path(
        "<slug:slug>/organizations/<int:pk>/remove/",
        views.organization_remove,
        name="organization-remove",
    ),
    path("<slug:slug>/goals/", views.goal_list, name="goals"),
    path("<slug:slug>/goals/new/", views.goal_create, name="goal-create"),
    path("<slug:slug>/goals/<int:pk>/", views.goal_detail, name="goal-detail"),
    path("<slug:slug>/goals/<int:pk>/edit/", views.goal_edit, name="goal-edit"),
    path("<slug:slug>/members/", views.member_list, name="members"),
    path("<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("<slug:slug>/members/<int:pk>/role/", views.member_role, name="member-role"),
    path(
        "<slug:slug>/invitations/<uuid:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("<slug:slug>/positions/", views.position_list, name="positions"),
    path("<slug:slug>/positions/<int:pk>/edit/", views.position_edit, name="position-edit"),
]
