import json

from django.core.management.base import BaseCommand, CommandError

from elections.models import Election
from elections.services.tally import tally


class Command(BaseCommand):
    help = "按选举规则计票（docs/formats.md，Tally result），只读"

    def add_arguments(self, parser):
        parser.add_argument("--election", type=int, required=True)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, election, **options):
        found = Election.objects.filter(pk=election).select_related("rules").first()
        if found is None:
            raise CommandError(f"--election: 选举 {election} 不存在")
        result = tally(election=found)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        elected = "；".join(f"{p['title']} {'、'.join(p['elected']) or '空缺'}" for p in result["positions"])
        verdict = "有效" if result["valid"] else "无效（" + "、".join(result["problems"]) + "）"
        self.stdout.write(f"{found.name}：收回选票 {result['ballots_returned']} 张，参选率 {result['turnout']:.2%}，"
                          f"选举{verdict}；当选：{elected}")
