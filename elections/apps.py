from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# SQLite's own version of the PostgreSQL trigger "election_certified_sealed" (elections/models/setup.py),
# for updates only: SQLite empties tables with DELETE (PostgreSQL with TRUNCATE, which fires no row
# trigger), so a delete trigger would make the database impossible to flush between tests.
SQLITE_SEAL = [
    """CREATE TRIGGER IF NOT EXISTS election_certified_sealed_update BEFORE UPDATE ON elections_election
    FOR EACH ROW WHEN OLD.status = 'certified'
    BEGIN SELECT RAISE(ABORT, 'juwei: election sealed, UPDATE refused'); END""",
]


def install_sqlite_seal(*, using: str = "default", **kwargs) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_SEAL:
            cursor.execute(statement)


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
        post_migrate.connect(install_sqlite_seal, sender=self)
