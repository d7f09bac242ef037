"""Included twice from portal_site/urls.py: under a partnership's address (namespace
"reports") and at /reports/state/ for admins (namespace "statereports")."""

from django.urls import path

from . import views

partnership_patterns = [
    path("", views.partnership_report, name="report"),
    path("report.csv", views.partnership_csv, name="csv"),
    path("charts/<str:chart>.svg", views.partnership_chart, name="chart"),
    path("pdf/", views.partnership_pdf, name="pdf"),
    path("pdf/<uuid:pk>/", views.partnership_pdf_status, name="pdf-status"),
    path("pdf/<uuid:pk>/download/", views.partnership_pdf_download, name="pdf-download"),
]

state_patterns = [
    path("", views.state_report, name="report"),
    path("report.csv", views.state_csv, name="csv"),
    path("charts/<str:chart>.svg", views.state_chart, name="chart"),
    path("pdf/", views.state_pdf, name="pdf"),
    path("pdf/<uuid:pk>/", views.state_pdf_status, name="pdf-status"),
    path("pdf/<uuid:pk>/download/", views.state_pdf_download, name="pdf-download"),
]
