import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from org.models import Community
from residents.services.importing import import_residents


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
            # The system's own reason is English ("No such file or directory"): said here in the clerk's words.
            raise CommandError(_read_error(exc) % {"file": file}) from None
        if json:
            self.stdout.write(_json(report.as_dict()))
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(report.summary())
        if not json:
            for notice in report.notices:
                self.stdout.write(notice)
            self.stdout.write(report.summary())


def _read_error(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return _("找不到文件 %(file)s，请检查文件名和路径")
    if isinstance(exc, IsADirectoryError):
        return _("%(file)s 是文件夹，不是文件")
    if isinstance(exc, PermissionError):
        return _("没有权限读取文件 %(file)s")
    return _("无法读取文件 %(file)s")


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False)
