import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from org.models import Community
from residents.services.exporting import export_residents


class Command(BaseCommand):
    help = "Write a community's residents in the residents file format (re-imports unchanged)."

    def add_arguments(self, parser):
        parser.add_argument("--community", required=True, help="community code")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", dest="file_format")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, community, file_format, output, **options):
        found = Community.objects.filter(code=community).first()
        if found is None:
            raise CommandError(_("社区代码 %(code)s 不存在") % {"code": community})
        content = export_residents(community=found, file_format=file_format)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(_("%(community)s: %(count)s 人已导出到 %(file)s") % {
                "community": found.name, "count": found.residents.count(), "file": output})
        elif file_format == "xlsx":
            if sys.stdout.isatty():
                raise CommandError(_("XLSX 是二进制文件，请用 -o 指定输出文件"))
            sys.stdout.buffer.write(content)
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
