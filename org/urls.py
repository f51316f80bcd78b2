from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="dashboard"),
    path("switch/", views.switch_community, name="switch_community"),
    path("street.pdf", views.street_pdf, name="street_pdf"),
    path("account/otp/", views.otp_setup, name="otp_setup"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("people/", views.accounts, name="accounts"),
    path("people/<int:pk>/password/", views.account_password, name="account_password"),
    path("people/new/", views.account_new, name="account_new"),
    path("people/<int:pk>/", views.account_detail, name="account_detail"),
    path("people/memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/sensitive/", views.sensitive_log, name="sensitive_log"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
