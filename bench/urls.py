"""The project's URLs plus the framework-floor views (bench runs only)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/floor/directory/", views.floor_directory, name="bench-floor-directory"),
    path("bench/floor/engagements/", views.floor_engagements, name="bench-floor-engagements"),
    path("bench/floor/compensation/", views.floor_compensation, name="bench-floor-compensation"),
    path("", include("portal_site.urls")),
]
