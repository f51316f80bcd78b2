from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("换届选举")

    def ready(self):
        from org.dashboard import register

        from .services.certification import handover_todos
        from .services.setup import stage_todos

        register(handover_todos)
        register(stage_todos)
