import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from elections.models import Election
from elections.services.archive import export_election


class Command(BaseCommand):
    help = "导出选举档案（含选票），可在别处导入并得到相同的计票结果"

    def add_arguments(self, parser):
        parser.add_argument("--election", type=int, required=True)
        parser.add_argument("-o", "--output")

    def handle(self, *args, election, output=None, **options):
        found = Election.objects.filter(pk=election).select_related("community__street", "rules").first()
        if found is None:
            raise CommandError(f"--election: 选举 {election} 不存在")
        text = json.dumps(export_election(election=found), ensure_ascii=False, indent=1)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"已导出选举 {found.pk} 到 {output}")
        else:
            self.stdout.write(text)
