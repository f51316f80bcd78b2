from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from elections.models import Election
from elections.services.sheets import import_ballots


class Command(BaseCommand):
    help = "导入机读选票（docs/formats.md，Machine-read ballots）到计票中的选举，全部成功或全部不写入"

    def add_arguments(self, parser):
        parser.add_argument("--election", type=int, required=True)
        parser.add_argument("file")

    def handle(self, *args, election, file, **options):
        found = Election.objects.filter(pk=election).first()
        if found is None:
            raise CommandError(f"--election: 选举 {election} 不存在")
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: 无法读取（{error}）") from None
        try:
            count = import_ballots(election=found, text=text)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(f"已导入选票 {count} 张到选举 {found.pk}")
