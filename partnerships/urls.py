from django.urls import path

from . import views, views_assessment

app_name = "partnerships"

# Fixed addresses come before "<slug>/" (their names are reserved slugs, see models.py).
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("coverage/", views.coverage, name="coverage"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("positions/", views.open_positions, name="open-positions"),
    path("recommendations/", views.my_recommendations, name="my-recommendations"),
    path("recommendations/new/", views.recommendation_create, name="recommendation-create"),
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
    path("<slug:slug>/recommendations/", views.recommendation_list, name="recommendations"),
    path(
        "<slug:slug>/recommendations/<uuid:pk>/answer/",
        views.recommendation_answer,
        name="recommendation-answer",
    ),
    path("<slug:slug>/boards/", views.board_list, name="boards"),
    path("<slug:slug>/boards/<int:pk>/", views.board_detail, name="board-detail"),
    path("<slug:slug>/boards/<int:pk>/edit/", views.board_edit, name="board-edit"),
    path(
        "<slug:slug>/boards/<int:pk>/meetings/new/",
        views.board_meeting_create,
        name="board-meeting-create",
    ),
    path("<slug:slug>/boards/<int:pk>/seat/", views.board_seat, name="board-seat"),
    path(
        "<slug:slug>/boards/<int:pk>/recommendations/",
        views.board_recommendation,
        name="board-recommendation",
    ),
    path("<slug:slug>/positions/", views.position_list, name="positions"),
    path("<slug:slug>/positions/<int:pk>/edit/", views.position_edit, name="position-edit"),
    # The trauma-informed self-assessment.
    path("<slug:slug>/assessment/", views_assessment.assessment_home, name="assessment"),
    path(
        "<slug:slug>/assessment/new/",
        views_assessment.assessment_open,
        name="assessment-open",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/",
        views_assessment.assessment_round,
        name="assessment-round",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/raters/",
        views_assessment.assessment_raters,
        name="assessment-raters",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/raters/consultants/",
        views_assessment.assessment_invite,
        name="assessment-invite",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/close/",
        views_assessment.assessment_close,
        name="assessment-close",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/answer/",
        views_assessment.assessment_answer,
        name="assessment-answer",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/answer/<str:page>/",
        views_assessment.assessment_answer_page,
        name="assessment-answer-page",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/results.csv",
        views_assessment.assessment_export,
        name="assessment-export",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/priorities/",
        views_assessment.assessment_priorities,
        name="assessment-priorities",
    ),
]
