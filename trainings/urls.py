from django.urls import path

from . import views

app_name = "trainings"

urlpatterns = [
    path("", views.training_list, name="list"),
    path("suggest/", views.training_suggest, name="suggest"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/<uuid:pk>/", views.request_detail, name="request-detail"),
    path("<slug:slug>/", views.training_detail, name="detail"),
    path("<slug:slug>/request/", views.request_create, name="request-create"),
]
