import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from org.models import Community
from residents.importing import import_residents


class Command(BaseCommand):
    help = "Import a residents file (CSV or XLSX, docs/formats.md) into one community; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--community", required=True, help="community code")
        parser.add_argument("--dry-run", action="store_true", help="check the whole file, write nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, file, community, dry_run, json: bool, **options):
        found = Community.objects.filter(code=community).first()
        if found is None:
            raise CommandError(_("社区代码 %(code)s 不存在") % {"code": community})
        try:
            report = import_residents(path_or_file=file, community=found, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(_("无法读取文件 %(file)s: %(error)s") % {
                "file": file, "error": exc.strerror or exc}) from None
        if json:
            self.stdout.write(_json(report.as_dict()))
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(report.summary())
        if not json:
            self.stdout.write(report.summary())


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False)
