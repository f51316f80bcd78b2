from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "residents"
    verbose_name = _("居民")

    def ready(self):
        from org import dashboard, street

        from .dashboard import todos
        from .statistics import street_section

        dashboard.register(todos)
        street.register_section(street_section)
