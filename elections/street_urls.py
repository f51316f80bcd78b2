"""The street's election report, under /elections/street/ (config/urls.py), apart from the per-election routes."""

from django.urls import path

from .views import street

app_name = "street_elections"
urlpatterns = [
    path("", street.report, name="report"),
    path("report.xlsx", street.report_xlsx, name="xlsx"),
    path("report.pdf", street.report_pdf, name="pdf"),
]
