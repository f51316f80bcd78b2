import datetime

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from residents.services.importing import IMPORT_UPLOAD_LIFETIME, purge_import_uploads


class Command(BaseCommand):
    help = ("Delete uploaded residents files whose preview was never confirmed (run daily; the task worker also "
            "deletes each one when it expires).")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=IMPORT_UPLOAD_LIFETIME // datetime.timedelta(hours=1),
                            help="age after which an upload is deleted (default: %(default)s)")

    def handle(self, *args, hours, **options):
        count = purge_import_uploads(older_than=datetime.timedelta(hours=hours))
        self.stdout.write(_("已删除 %(count)s 个过期的导入文件") % {"count": count})
