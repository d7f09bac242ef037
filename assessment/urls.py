"""The self-assessment's addresses, under /partnerships/<slug>/assessment/. The shell
(portal_site/urls.py) mounts them in the `partnerships` namespace, where their names have
always been (`partnerships:assessment-round`, ...)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/assessment/", views.assessment_home, name="assessment"),
    path(
        "<slug:slug>/assessment/new/",
        views.assessment_open,
        name="assessment-open",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/",
        views.assessment_round,
        name="assessment-round",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/raters/",
        views.assessment_raters,
        name="assessment-raters",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/raters/consultants/",
        views.assessment_invite,
        name="assessment-invite",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/close/",
        views.assessment_close,
        name="assessment-close",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/answer/",
        views.assessment_answer,
        name="assessment-answer",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/answer/<str:page>/",
        views.assessment_answer_page,
        name="assessment-answer-page",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/results.csv",
        views.assessment_export,
        name="assessment-export",
    ),
    path(
        "<slug:slug>/assessment/<uuid:pk>/priorities/",
        views.assessment_priorities,
        name="assessment-priorities",
    ),
]
