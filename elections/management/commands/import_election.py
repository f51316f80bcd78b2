import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from elections.services.archive import import_election


class Command(BaseCommand):
    help = "导入选举档案（docs/formats.md，Election archive），输出新选举的编号"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, file, **options):
        try:
            data = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: 无法读取（{error}）") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"第 {error.lineno} 行 JSON: {error.msg}") from None
        try:
            election = import_election(data)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        if options["json"]:
            self.stdout.write(json.dumps({"election": election.pk}))
        else:
            self.stdout.write(f"已导入选举 {election.pk}：{election.name}，选票 {election.ballots.count()} 张")
