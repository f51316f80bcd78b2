"""The admin site: reached only through the application's own login, with its one-time code, and with the
history of every model read-only.

It is Django's default site (org.apps.JuweiAdminConfig), so `admin.site` in every app's admin module is this.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from .access import second_factor_missing


class AuditedAdmin(SimpleHistoryAdmin):
    """The admin of an audited model: its history can be read, never written back.

    simple-history's history page saves a POSTed form without asking for the change permission (and
    SIMPLE_HISTORY_REVERT_DISABLED only hides its button): a view-only account could revert anything,
    a certified election included. Changes go through the change form, which checks permissions, or
    better through the application's own pages, which check the rules."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class JuweiAdminSite(admin.AdminSite):
    """Django's admin behind the application's login.

    Like django-otp's OTPAdminSite it admits only sessions that gave the one-time code of the user's
    authenticator; unlike it, users without one are admitted where none is required (the same rule as the
    staff pages, org/access.py), and the login is the application's, which asks for the code (the admin's
    own form does not)."""

    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name))

    def has_permission(self, request):
        return super().has_permission(request) and second_factor_missing(request.user) is None

    def register(self, model_or_iterable, admin_class=None, **options):
        # An app that registers a plain SimpleHistoryAdmin still gets the read-only history.
        plain = admin_class is not None and issubclass(admin_class, SimpleHistoryAdmin)
        if plain and not issubclass(admin_class, AuditedAdmin):
            admin_class = type(admin_class.__name__, (AuditedAdmin, admin_class),
                               {"__module__": admin_class.__module__})
        return super().register(model_or_iterable, admin_class, **options)
