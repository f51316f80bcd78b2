import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# loaddemo lives on the top floor because it fills every app, each through its own demo module.
from committee import demo as committee_demo
from disclosure import demo as disclosure_demo
from elections import demo as elections_demo
from org import demo as org_demo
from residents import demo as residents_demo


class Command(BaseCommand):
    help = "Load a demo street office with the demo logins (jiedao, juwei, jiandu; password juwei-demo)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "street"], default="small")
        parser.add_argument("--force", action="store_true", help="run even when DJANGO_DEBUG is off")

    def handle(self, *args, size, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("loaddemo refuses to run with DJANGO_DEBUG off; pass --force to insist.")
        started = time.monotonic()
        with transaction.atomic():
            street = org_demo.load(size=size)
            for module in (residents_demo, committee_demo, disclosure_demo, elections_demo):
                module.load(street=street, size=size)
        self.stdout.write(f"demo street {street.name} loaded ({size}) in {time.monotonic() - started:.1f}s")
