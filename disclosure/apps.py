from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("居务公开")

    def ready(self):
        from org.dashboard import register
        from org.street import register_compliance

        from .dashboard import todos
        from .statistics import street_compliance

        register(todos)
        register_compliance(street_compliance)
