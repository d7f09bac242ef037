"""A person's own trainings and growth goals, mounted at /me/."""

from django.urls import path

from . import views_me

app_name = "mytrainings"

urlpatterns = [
    path("trainings/", views_me.record_list, name="list"),
    path("trainings/record/", views_me.record_create, name="record-create"),
    path("trainings/<uuid:pk>/", views_me.record_detail, name="record-detail"),
    path("trainings/<uuid:pk>/certificate/", views_me.certificate, name="certificate"),
    path("trainings/<uuid:pk>/evaluate/", views_me.evaluate, name="evaluate"),
    path("trainings/<uuid:pk>/delete/", views_me.record_delete, name="record-delete"),
    path("growth/", views_me.goal_list, name="goal-list"),
    path("growth/new/", views_me.goal_create, name="goal-create"),
    path("growth/<uuid:pk>/", views_me.goal_edit, name="goal-edit"),
    path("growth/<uuid:pk>/reached/", views_me.goal_achieved, name="goal-achieved"),
    path("growth/<uuid:pk>/delete/", views_me.goal_delete, name="goal-delete"),
]
