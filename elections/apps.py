from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("换届选举")

    def ready(self):
        from org.dashboard import register
        from org.street import register_section
        from residents.services.representatives import register_representative_rules

        from .services.certification import handover_todos
        from .services.representatives import community_rules
        from .services.setup import stage_todos
        from .statistics import street_section

        register(handover_todos)
        register(stage_todos)
        register_section(street_section)
        register_representative_rules(community_rules)
