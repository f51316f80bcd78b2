"""Files an attacker (or a careless export) sends: refused before they cost memory, nothing stored, nothing
run by the spreadsheet that opens an export."""

import datetime
import io
import os
import time
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from openpyxl import load_workbook

from bench.hostile_uploads import SHEET_NS, _xlsx, declared_xfd_xlsx, huge_shared_string_xlsx
from lib.spreadsheet import escape_formula, unescape_formula
from org.models import Job, SensitiveAccess
from residents.models import Resident
from residents.services import import_checks, import_files, importing
from residents.services.exporting import export_residents
from residents.services.import_files import read_table
from residents.services.importing import IMPORT_UPLOADS, import_residents

from .factories import ResidentFactory
from .test_import import csv_bytes, rows

pytestmark = pytest.mark.django_db
FORMULAS = ['=HYPERLINK("http://evil.example","点此领取补贴")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3",
            "'=已转义过的文字"]
UNPACKS_TOO_BIG = "第 1 行 文件: XLSX 文件解压后过大（含超长文字或大量空白单元格），请另存为 CSV UTF-8 后再导入"


def named(data: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


# --- 6: limits before parsing ------------------------------------------------------------------------

def test_it_refuses_an_xlsx_whose_shared_strings_unpack_beyond_the_limit(community, tmp_path):
    path = tmp_path / "bomb.xlsx"
    huge_shared_string_xlsx(path, megabytes=import_files.MAX_SHARED_STRINGS_BYTES // (1024 * 1024) + 1)
    assert path.stat().st_size < 1024 * 1024  # the whole attack: a small file that unpacks big
    report = import_residents(path_or_file=path, community=community)
    assert report.errors == [UNPACKS_TOO_BIG]
    assert not Resident.objects.exists()


def test_it_reads_an_xlsx_by_its_cells_not_by_its_declared_dimension(tmp_path):
    path = tmp_path / "declared.xlsx"
    declared_xfd_xlsx(path, rows=50, last_column="B")  # declares A1:XFD50, holds A and B
    table = read_table(path)
    assert table.header == ["姓名", "姓名"]
    assert [len(row) for row in table.rows] == [2] * 49  # not 16,384 cells a row


def test_it_refuses_an_xlsx_whose_header_reaches_column_xfd(community, tmp_path):
    path = tmp_path / "wide.xlsx"
    declared_xfd_xlsx(path, rows=50)
    report = import_residents(path_or_file=path, community=community)
    assert report.errors == [f"第 1 行 文件: 列数过多：最多 {import_files.MAX_COLUMNS} 列，请删除多余的列"]


def _sheet(tmp_path, cell_xml: str, *, prolog: str = "", extra: dict | None = None):
    path = tmp_path / "book.xlsx"
    _xlsx(path, f'{prolog}{SHEET_NS}<sheetData><row r="1">{cell_xml}</row></sheetData></worksheet>', [[b"x"]])
    if extra:
        with zipfile.ZipFile(path, "a") as book:
            for name, content in extra.items():
                book.writestr(name, content)
    return path


def test_it_refuses_an_xlsx_cell_longer_than_excel_allows(community, tmp_path):
    long_text = "A" * (import_files.MAX_XLSX_RUN_BYTES + 1)
    path = _sheet(tmp_path, f'<c r="A1" t="inlineStr"><is><t>{long_text}</t></is></c>')
    assert import_residents(path_or_file=path, community=community).errors == [UNPACKS_TOO_BIG]


def test_it_refuses_an_xlsx_with_entity_declarations(community, tmp_path):
    laughs = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    path = _sheet(tmp_path, '<c r="A1" t="inlineStr"><is><t>&b;</t></is></c>', prolog=laughs)
    assert import_residents(path_or_file=path, community=community).errors == [UNPACKS_TOO_BIG]


def test_it_refuses_an_xlsx_whose_parts_read_whole_unpack_beyond_the_limit(community, tmp_path):
    # styles.xml is parsed whole into objects some 80 times its size: a 5 MB one took 400 MB
    styles = f"<styleSheet>{' ' * import_files.MAX_XLSX_OTHER_PARTS_BYTES}</styleSheet>"
    path = _sheet(tmp_path, '<c r="A1" t="s"><v>0</v></c>', extra={"xl/styles.xml": styles})
    assert import_residents(path_or_file=path, community=community).errors == [UNPACKS_TOO_BIG]


def test_it_refuses_a_csv_line_of_more_cells_than_the_limit(community, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_CELLS", 100)
    report = import_residents(path_or_file=io.BytesIO(b"," * 101), community=community)
    assert report.errors == ["第 1 行 文件: 单元格过多：最多 100 个。请按居民小组拆分成几个文件分别导入。"]


def test_it_refuses_a_csv_quote_that_never_closes_without_crashing(community):
    data = csv_bytes([]).getvalue() + '"王'.encode() + b"x" * 200_000
    report = import_residents(path_or_file=io.BytesIO(data), community=community)
    assert report.errors == ["第 1 行 文件: 第 2 行附近无法读取：单元格过长或引号未闭合"]


def test_it_refuses_a_file_with_more_columns_than_a_registry_has(community):
    header = [f"列{i}" for i in range(import_files.MAX_COLUMNS + 1)]
    report = import_residents(path_or_file=csv_bytes([], header=header), community=community)
    assert report.errors == [f"第 1 行 文件: 列数过多：最多 {import_files.MAX_COLUMNS} 列，请删除多余的列"]


def test_it_refuses_a_file_larger_than_the_limit_before_reading_it(community, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    report = import_residents(path_or_file=io.BytesIO(b"x" * (2 * 1024 * 1024 + 1)), community=community)
    assert report.errors == [
        "第 1 行 文件: 文件过大：导入文件最大 2 MB（约 100,000 行）。请按居民小组拆分成几个文件分别导入。"]


def test_it_refuses_an_oversized_file_in_the_import_command_too(community, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(import_files, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    path = tmp_path / "名单.csv"
    path.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    with pytest.raises(CommandError, match="发现 1 处错误"):
        call_command("import_residents", str(path), "--community", community.code)
    assert "文件过大：导入文件最大 2 MB" in capsys.readouterr().err


def test_it_refuses_an_oversized_upload_on_the_page_and_stores_nothing(login, committee_user, community):
    big = named(b"x" * (import_files.MAX_UPLOAD_BYTES + 1), "名单.csv")
    response = login(committee_user).post(reverse("residents:import"), {"file": big})
    assert response.status_code == 200
    assert "文件过大：导入文件最大 20 MB" in response.content.decode()
    assert not Job.objects.exists()
    assert not default_storage.exists(IMPORT_UPLOADS) or not default_storage.listdir(IMPORT_UPLOADS)[1]


def test_it_refuses_a_file_of_more_rows_than_the_limit(community, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_ROWS", 10)
    report = import_residents(path_or_file=csv_bytes([{"姓名": "王"}] * 11), community=community)
    assert report.errors == ["第 1 行 文件: 文件行数过多：最多 10 行。请按居民小组拆分成几个文件分别导入。"]
    assert import_residents(path_or_file=csv_bytes(rows()[:1] * 1), community=community, dry_run=True).ok


def test_it_lists_the_first_few_hundred_errors_and_counts_the_rest(community):
    bad = [{"姓名": "王", "身份证号": "1"}] * 1000
    report = import_residents(path_or_file=csv_bytes(bad), community=community)
    assert len(report.errors) == import_checks.MAX_ERRORS + 1
    assert report.errors[-1].startswith("……以及另外 ")
    assert report.error_count > 1000  # each row has several wrong or missing cells
    assert report.summary() == f"发现 {report.error_count} 处错误，未写入任何数据"


# --- 7: formulas in exports --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [*FORMULAS, "", "'", "''", "王'", "＝1+1", "\t=1", "0519-86681234"])
def test_it_unescapes_exactly_what_it_escaped(text):
    cell = escape_formula(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝"))
    assert unescape_formula(cell) == text


@pytest.fixture
def formula_residents(community):
    return [ResidentFactory(community=community, name=name, address=name) for name in FORMULAS]


def test_it_writes_formula_like_names_to_csv_as_text(community, formula_residents):
    text = export_residents(community=community, file_format="csv").decode("utf-8-sig")
    for name in FORMULAS:
        assert f"'{name}" in text.replace('""', '"')
    for line in text.splitlines()[1:]:
        assert not line.lstrip('"').startswith(("=", "+", "-", "@"))


def test_it_writes_formula_like_names_to_xlsx_as_text_cells(community, formula_residents):
    sheet = load_workbook(io.BytesIO(export_residents(community=community, file_format="xlsx"))).active
    names = [cell for cell in next(iter(sheet.iter_cols(min_col=1, max_col=1, min_row=2)))]
    assert {cell.data_type for cell in names} == {"s"}
    assert sorted(cell.value for cell in names) == sorted(f"'{name}" for name in FORMULAS)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_it_reimports_an_escaped_export_to_exactly_the_names_it_had(community, formula_residents, file_format):
    exported = export_residents(community=community, file_format=file_format)
    Resident.objects.filter(community=community).update(name="改过", address="改过")
    report = import_residents(path_or_file=io.BytesIO(exported), community=community)
    assert report.ok, report.errors
    # Spaces inside a name are dropped on import (docs/formats.md), the formula escape undone exactly.
    assert sorted(Resident.objects.values_list("name", flat=True)) == sorted(f.replace(" ", "") for f in FORMULAS)
    assert sorted(Resident.objects.values_list("address", flat=True)) == sorted(FORMULAS)


# --- 9: uploaded files and the export ----------------------------------------------------------------

def _uploads() -> list[str]:
    if not default_storage.exists(IMPORT_UPLOADS):
        return []
    return default_storage.listdir(IMPORT_UPLOADS)[1]


def test_it_deletes_an_upload_whose_check_failed(login, committee_user, community):
    bad = rows()
    bad[0]["身份证号"] = "1"
    login(committee_user).post(reverse("residents:import"), {"file": named(csv_bytes(bad).getvalue(), "a.csv")})
    assert Job.objects.get().status == Job.Status.FAILED
    assert _uploads() == []


def test_it_keeps_a_clean_preview_until_confirmed_then_deletes_it(login, committee_user, community):
    client = login(committee_user)
    client.post(reverse("residents:import"), {"file": named(csv_bytes(rows()).getvalue(), "a.csv")})
    assert len(_uploads()) == 1
    client.post(reverse("residents:import_confirm", args=[Job.objects.get().pk]))
    assert Resident.objects.count() == 4
    assert _uploads() == []


def test_it_deletes_an_upload_whose_confirmed_import_failed(login, committee_user, community):
    client = login(committee_user)
    client.post(reverse("residents:import"), {"file": named(csv_bytes(rows()).getvalue(), "a.csv")})
    ResidentFactory(community=community, id_number=rows()[0]["身份证号"], name="另一人",
                    household__community=community)
    ResidentFactory(community=community.street.communities.create(code="X2", name="别的社区"),
                    id_number=rows()[1]["身份证号"])
    client.post(reverse("residents:import_confirm", args=[Job.objects.get().pk]))
    assert Job.objects.filter(status=Job.Status.FAILED).exists()
    assert _uploads() == []


def test_it_purges_abandoned_previews_and_keeps_fresh_ones(capsys):
    old = default_storage.save(f"{IMPORT_UPLOADS}/old.csv", io.BytesIO(b"x"))
    fresh = default_storage.save(f"{IMPORT_UPLOADS}/fresh.csv", io.BytesIO(b"x"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    call_command("purge_import_files")
    assert "已删除 1 个过期的导入文件" in capsys.readouterr().out
    assert not default_storage.exists(old) and default_storage.exists(fresh)


def test_it_has_the_task_worker_delete_a_preview_nobody_confirmed(committee_user, community, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    path = default_storage.save(f"{IMPORT_UPLOADS}/preview.csv", csv_bytes(rows()))
    job = Job.objects.create(user=committee_user, community=community, title="预检", params={})
    importing.run_import_job(job=job, path=path, community_id=community.pk, dry_run=True, user_id=committee_user.pk)
    [queued] = default_task_backend.results
    wait = queued.task.run_after - timezone.now()
    assert importing.IMPORT_UPLOAD_LIFETIME < wait < importing.IMPORT_UPLOAD_LIFETIME + datetime.timedelta(hours=1)
    assert queued.task.call() == 0 and default_storage.exists(path)  # still fresh: the confirmation may come
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(path), (two_days_ago, two_days_ago))
    assert queued.task.call() == 1 and not default_storage.exists(path)  # what the worker does when it expires


@pytest.mark.parametrize("reason", ["", "看看"])  # none, or too short to say anything
def test_it_asks_for_a_reason_before_exporting_and_logs_nothing_on_the_way(login, committee_user, community,
                                                                             reason):
    ResidentFactory(community=community)
    client = login(committee_user)
    page = client.get(reverse("residents:export") + "?format=csv&reason=报送街道人口统计")  # the old link
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in page
    response = client.post(reverse("residents:export"), {"format": "csv", "reason": reason})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert "Content-Disposition" not in response
    assert not SensitiveAccess.objects.exists()


def test_it_exports_for_a_stated_reason_and_logs_it(login, committee_user, community):
    ResidentFactory(community=community)
    response = login(committee_user).post(reverse("residents:export"), {"format": "xlsx",
                                                                        "reason": "报送街道人口统计"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    entry = SensitiveAccess.objects.get()
    assert (entry.action, entry.reason) == (SensitiveAccess.Action.EXPORT, "报送街道人口统计")
