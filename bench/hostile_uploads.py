"""hostile_uploads: each hostile file is uploaded to the residents import page as a clerk would, in a process
of its own, and the peak memory of that process is printed with the message the clerk sees.

    python -m bench.hostile_uploads            # on a scratch SQLite database, one JSON line per file
    python -m bench --only hostile_uploads     # on the bench database, one JSON line with every file

The files are those of an attack on the first release (residents/services/import_files.py has the limits): an XLSX of
about 1 MB whose one shared string unpacks to 1 GB; an XLSX declaring A1:XFD2000 with a cell in column XFD
of every row; 200 MB of junk CSV (with --quick: 21 MB, just over the 20 MB limit); a CSV of 1,000,000 rows;
and, under every limit, a CSV of 100,000 junk rows, whose hundreds of thousands of errors are listed only
up to MAX_ERRORS. Each must be refused with a clear message in under 300 MB; nothing is left behind (each
upload runs in a transaction that is rolled back, and the import deletes the file it refused).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RSS_LIMIT_MB = 300
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>')
SHEET_NS = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _xlsx(path: Path, sheet_xml: str, shared_strings) -> None:
    """Write an XLSX whose shared strings come from the iterable of chunks `shared_strings` (one <si> each)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
            shared.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for chunks in shared_strings:
                shared.write(b"<si><t>")
                for chunk in chunks:
                    shared.write(chunk)
                shared.write(b"</t></si>")
            shared.write(b"</sst>")


def huge_shared_string_xlsx(path: Path, megabytes: int = 1024) -> None:
    """An XLSX whose single shared string is `megabytes` MB of one letter (about 1 MB zipped per GB)."""
    sheet = f'{SHEET_NS}<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    _xlsx(path, sheet, [(b"A" * 1024 * 1024 for _ in range(megabytes))])


def declared_xfd_xlsx(path: Path, rows: int = 2000, last_column: str = "XFD") -> None:
    """An XLSX declaring A1:XFD<rows>, with a cell in column A and in `last_column` of every row."""
    body = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="{last_column}{r}" t="s"><v>0</v></c></row>'
                   for r in range(1, rows + 1))
    sheet = f'{SHEET_NS}<dimension ref="A1:XFD{rows}"/><sheetData>{body}</sheetData></worksheet>'
    _xlsx(path, sheet, [["姓名".encode()]])


def junk_csv(path: Path, megabytes: int = 200) -> None:
    """`megabytes` MB of comma-separated junk in lines of 100 bytes."""
    line = (",".join(["x" * 19] * 5) + "\n").encode()
    with path.open("wb") as out:
        for _ in range(megabytes):
            out.write(line * (1024 * 1024 // len(line)))


HEADER = "姓名,身份证号,户号,与户主关系,居民小组,户籍,居住情况\n".encode()


def long_csv(path: Path, rows: int = 1_000_000) -> None:
    """A residents header and `rows` rows of one name each (each row wrong: required cells empty)."""
    path.write_bytes(HEADER + "王\n".encode() * rows)


def junk_rows_csv(path: Path, rows: int = 100_000) -> None:
    """A residents header and `rows` rows of junk in every column: several errors a row, within every limit."""
    path.write_bytes(HEADER + b"x,x,x,x,x,x,x\n" * rows)


def files(*, quick: bool) -> dict:
    junk_mb = 21 if quick else 200
    return {
        "huge_shared_string.xlsx": huge_shared_string_xlsx,
        "declared_xfd2000.xlsx": declared_xfd_xlsx,
        f"junk_{junk_mb}mb.csv": lambda path: junk_csv(path, megabytes=junk_mb),
        "rows_1000000.csv": long_csv,
        "junk_rows_100000.csv": junk_rows_csv,
    }


def _upload(path: Path) -> dict:
    """In this process: hand the file to the upload view as the multipart parser would (a file on disk) and
    report what the clerk is shown. The view runs the import at once (JUWEI_TASKS=immediate)."""
    import django

    django.setup()
    from django.db import transaction

    from bench.one import peak_rss_mb

    with transaction.atomic():  # leave nothing behind in the database the other benchmarks use
        line = _upload_as_clerk(path)
        transaction.set_rollback(True)
    peak = peak_rss_mb()
    return {**line, "peak_rss_mb": peak, "ok": line["refused"] and peak <= RSS_LIMIT_MB}


def _upload_as_clerk(path: Path) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest, QueryDict
    from django.utils.datastructures import MultiValueDict

    from org.models import Community, Job, Membership, Role, StreetOffice
    from residents.views.importing import import_upload

    street, _ = StreetOffice.objects.get_or_create(code="hostile", defaults={"name": "测试街道"})
    community, _ = Community.objects.get_or_create(code="HOSTILE", defaults={"name": "测试社区", "street": street})
    user, created = get_user_model().objects.get_or_create(username="hostile-clerk")
    if created:
        Membership.objects.create(user=user, role=Role.COMMITTEE, community=community)
    request = HttpRequest()
    request.method, request.POST, request.user, request.session = "POST", QueryDict(), user, SessionStore()
    request.META.update(SERVER_NAME="127.0.0.1", SERVER_PORT="80")
    request._messages = FallbackStorage(request)
    with path.open("rb") as handle:
        request.FILES = MultiValueDict({"file": [UploadedFile(handle, name=path.name, size=path.stat().st_size)]})
        response = import_upload(request)
    job = Job.objects.filter(user=user).order_by("-created").first()
    if response.status_code != 302 or job is None:  # refused by the upload form itself
        found = re.search(r'class="errorlist"[^>]*><li>(.*?)</li>', response.content.decode())
        refused = found is not None
        message = found.group(1) if found else f"HTTP {response.status_code}"
    else:
        errors = job.errors or []
        message = "；".join([job.message, *errors[:2], *errors[-1:][:len(errors) - 2]])  # the first two, the last
        refused = job.status == Job.Status.FAILED
    return {"file": path.name, "size_mb": round(path.stat().st_size / 1024 / 1024, 1), "refused": refused,
            "errors_listed": len(job.errors or []) if job else 0, "message": message}


def _run_all(env: dict, scratch: Path, *, quick: bool) -> list[dict]:
    lines = []
    for name, build in files(quick=quick).items():
        build(scratch / name)
        result = subprocess.run([sys.executable, "-m", "bench.hostile_uploads", "--one", str(scratch / name)],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        (scratch / name).unlink()
        if result.returncode != 0:
            lines.append({"file": name, "ok": False, "error": result.stderr.strip()[-1500:]})
        else:
            lines.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return lines


def run(*, quick: bool) -> dict:
    """For `python -m bench`: the files against the bench database, in processes of their own."""
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, check=True)
    scratch = Path(tempfile.mkdtemp(prefix="juwei-hostile-"))
    try:
        lines = _run_all(dict(os.environ), scratch, quick=quick)
    finally:
        shutil.rmtree(scratch)
    return {"ok": all(line["ok"] for line in lines), "files": lines}


def main() -> int:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(_upload(Path(sys.argv[2])), ensure_ascii=False))
        return 0
    quick = "--quick" in sys.argv
    scratch = Path(tempfile.mkdtemp(prefix="juwei-hostile-"))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="true", JUWEI_TASKS="immediate",
               PYTHONPATH=str(ROOT), JUWEI_MEDIA_ROOT=str(scratch / "media"),
               DATABASE_URL=f"sqlite:///{scratch / 'hostile.sqlite3'}")
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
        lines = _run_all(env, scratch, quick=quick)
        leftovers = [str(p.relative_to(scratch)) for p in (scratch / "media").rglob("*") if p.is_file()]
    finally:
        shutil.rmtree(scratch)
    for line in lines:
        print(json.dumps({"name": "hostile_uploads", **line, "rss_target_mb": RSS_LIMIT_MB}, ensure_ascii=False),
              flush=True)
    print(json.dumps({"name": "hostile_uploads", "files_left_in_media": leftovers}), flush=True)
    return 0 if all(line["ok"] for line in lines) and not leftovers else 1


if __name__ == "__main__":
    sys.exit(main())
