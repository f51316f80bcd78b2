from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("组织与权限")

    def ready(self):
        from .audit import protect_in_postgres

        protect_in_postgres()
