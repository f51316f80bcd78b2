from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("居委会")

    def ready(self):
        from org import dashboard, street

        from .services.due import todos
        from .services.handover import handover_todos
        from .statistics import street_compliance

        dashboard.register(todos)
        dashboard.register(handover_todos)
        street.register_compliance(street_compliance)
