from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    default = True  # this module also holds the admin's config below
    name = "org"
    verbose_name = _("组织与权限")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .frozen import install_sqlite_triggers, install_triggers

        install_triggers()
        post_migrate.connect(install_sqlite_triggers, sender=self)


class JuweiAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site that requires the application's login (org/admin_site.py)."""

    default = False
    default_site = "org.admin_site.JuweiAdminSite"
