"""A consultant's own seats on survivor leader boards, mounted at /me/."""

from django.urls import path

from . import views_boards

app_name = "myboards"

urlpatterns = [
    path("boards/<uuid:pk>/", views_boards.seat_detail, name="seat"),
]
