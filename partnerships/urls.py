from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("<slug:slug>/", views.partnership_detail, name="detail"),
]
