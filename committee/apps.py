from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("居委会")

    def ready(self):
        from org import dashboard

        from .services.due import todos

        dashboard.register(todos)
