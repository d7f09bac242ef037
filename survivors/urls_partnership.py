"""The survivor side of a partnership's pages under /partnerships/: recommendations and
survivor leader boards. The shell (portal_site/urls.py) mounts them in the `partnerships`
namespace, where their names have always been (`partnerships:board-detail`, ...); the fixed
addresses before the partnerships' "<slug>/" (their names are reserved slugs)."""

from django.urls import path

from . import views_boards as views

fixed_urlpatterns = [
    path("recommendations/", views.my_recommendations, name="my-recommendations"),
    path("recommendations/new/", views.recommendation_create, name="recommendation-create"),
]

urlpatterns = [
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
]
