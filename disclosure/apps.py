from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("居务公开")

    def ready(self):
        from org.dashboard import register

        from .dashboard import todos

        register(todos)
