import json as jsonlib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from elections.models import Election
from elections.services.roll import build_voter_roll


class Command(BaseCommand):
    help = ("Build or refresh an election's voter roll from the registry and report it "
            "(docs/formats.md, Voter roll report).")

    def add_arguments(self, parser):
        parser.add_argument("--election", type=int, required=True)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, election, json: bool, **options):
        found = Election.objects.select_related("community", "rules").filter(pk=election).first()
        if found is None:
            raise CommandError(f"选举 {election} 不存在")
        try:
            result = build_voter_roll(election=found)
        except ValidationError as exc:
            if found.roll_report is None:
                raise CommandError("；".join(exc.messages)) from exc
            # A posted roll is frozen: report it as it stands instead of rebuilding.
            result = found.roll_report
            self.stderr.write("；".join(exc.messages))
        if json:
            self.stdout.write(_dumps(result))
        else:
            excluded = sum(result["excluded"].values())
            self.stdout.write(f"{found.name}: {result['registered']} registered, {excluded} excluded, "
                              f"{len(result['by_group'])} groups")


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
