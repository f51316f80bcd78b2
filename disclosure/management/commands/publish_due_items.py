import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from disclosure.services.items import publish_due


class Command(BaseCommand):
    help = "公开到期的居务公开事项（每月10日；由定时任务每天运行）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按该日期运行（YYYY-MM-DD），默认今天")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today: 日期格式应为 YYYY-MM-DD（{today}）") from error
        published = publish_due(today=day)
        if options["json"]:
            self.stdout.write(json.dumps({"published": [item.pk for item in published], "today": day.isoformat()}))
        else:
            self.stdout.write(f"{day:%Y-%m-%d}: 公开 {len(published)} 项")
