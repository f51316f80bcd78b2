"""Residents files built the way street offices build them (docs/formats.md, Residents file): Excel's GB18030 CSV,
a merged title row above the header, date cells and 1962/3/14, full-width digits and spaces, a lower-case x,
15-digit first-generation numbers, and ID numbers stored as numbers (refused, whatever their digits). Each is
checked through the import function, the upload page and the `import_residents` command alike."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lib.idcard import check_char, make_id_number, parse_id_number
from org.models import Job
from residents.models import Resident
from residents.resources import stored_as_number
from residents.services.importing import import_residents

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "出生日期", "户号", "与户主关系", "居民小组", "户籍", "居住情况", "入住日期", "联系电话"]
TITLE = "后北岸社区居民花名册"
WANG = make_id_number(region="320411", birth_date=datetime.date(1962, 3, 14), sequence=17, sex="M")
AYI = make_id_number(region="650102", birth_date=datetime.date(1990, 7, 1), sequence=3, sex="F")
X_NUMBER = next(n for n in (make_id_number(region="320402", birth_date=datetime.date(1975, 5, 9), sequence=s, sex="F")
                            for s in range(500)) if n.endswith("X"))
OLD = "320402580621123"  # 15 digits: 1958-06-21, order code 123 (odd: a man)
OLD_AS_18 = "32040219580621123" + check_char("32040219580621123")
# A number whose float (what a number cell holds) is another number that passes the checksum: the clerk's case.
REAL = "320411199801283941"
MANGLED = str(int(float(REAL)))
MESSAGE = stored_as_number()


def office_rows() -> list[list]:
    """What a clerk types: a full-width space in a name, a minority name with its dot, full-width digits, a
    lower-case x, an old 15-digit number, dates with slashes, dots and 年月日."""
    return [
        ["王　建国", WANG, "1962/3/14", "A001", "户主", "第一居民小组", "本社区", "在住", "", "１３８１２３４５６７８"],
        ["阿依古丽·买买提", AYI.translate(str.maketrans("0123456789", "０１２３４５６７８９")), "", "A001", "配偶",
         "第一居民小组", "外地", "在住", "2015.10.8", ""],
        ["李 秀英", X_NUMBER.lower(), "1975年5月9日", "A002", "户主", "第一居民小组", "本社区", "在住", "",
         "0519-86681234"],
        ["陈老伯", OLD, "", "A003", "户主", "第二居民小组", "本社区", "在住", "", ""],
    ]


def gb18030_csv(data, *, title=True) -> bytes:
    lines = ([TITLE + "," * (len(HEADER) - 1)] if title else []) + [",".join(HEADER)]
    lines += [",".join(str(c) for c in row) for row in data]
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def office_xlsx(data, *, number_ids=()) -> bytes:
    """A workbook as an office saves it: a merged title row, the header on row 2, real date cells, and the ID
    number of the rows in `number_ids` typed into a cell that is not text (a number)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for n, row in enumerate(data):
        cells = list(row)
        for i, value in enumerate(cells):
            if HEADER[i] in ("出生日期", "入住日期") and value:
                cells[i] = datetime.datetime.strptime(value, "%Y-%m-%d")  # a date cell, shown as the clerk's format
        if n in number_ids:
            cells[1] = number_ids[n]
        sheet.append([c if c != "" else None for c in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_rows() -> list[list]:
    return [
        ["王建国", WANG, "1962-03-14", "A001", "户主", "第一居民小组", "本社区", "在住", "", "13812345678"],
        ["阿依古丽·买买提", AYI, "", "A001", "配偶", "第一居民小组", "外地", "在住", "2015-10-08", ""],
    ]


def named(data: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def through_page(client, data: bytes, name: str) -> str:
    response = client.post(reverse("residents:import"), {"file": named(data, name)}, follow=True)
    return response.content.decode()


def through_command(community, tmp_path, data: bytes, name: str, capsys) -> tuple[bool, str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        call_command("import_residents", str(path), "--community", community.code)
    except CommandError:
        ok = False
    else:
        ok = True
    out = capsys.readouterr()
    return ok, out.out, out.err


# --- accepted and normalised ---------------------------------------------------------------------------------

def assert_office_rows_stored(community):
    stored = {r.name: r for r in Resident.objects.filter(community=community)}
    assert set(stored) == {"王建国", "阿依古丽·买买提", "李秀英", "陈老伯"}
    assert stored["王建国"].id_number == WANG and stored["王建国"].phone == "13812345678"
    assert stored["阿依古丽·买买提"].id_number == AYI
    assert stored["阿依古丽·买买提"].move_in_date == datetime.date(2015, 10, 8)
    assert stored["李秀英"].id_number == X_NUMBER and stored["李秀英"].birth_date == datetime.date(1975, 5, 9)
    assert (stored["陈老伯"].id_number, stored["陈老伯"].sex) == (OLD_AS_18, "M")
    assert Resident.objects.filter(name__contains="王建国").exists()  # a search without the space finds the name


def test_it_imports_an_excel_gb18030_csv_with_a_title_row_and_what_clerks_type(community):
    report = import_residents(path_or_file=io.BytesIO(gb18030_csv(office_rows())), community=community)
    assert report.ok, report.errors
    assert report.created == 4
    # Row 6 as the spreadsheet shows it: the title is row 1, the header row 2.
    assert report.notices == [f"第 6 行 身份证号: 15位旧号码，按18位 {OLD_AS_18[:4]}**********{OLD_AS_18[-4:]} 保存"]
    assert_office_rows_stored(community)


def test_it_imports_the_same_file_through_the_page_and_says_the_old_number_was_converted(login, committee_user,
                                                                                         community):
    client = login(committee_user)
    html = through_page(client, gb18030_csv(office_rows()), "花名册.csv")
    assert "预检通过，将新增 4 人" in html
    assert "第 6 行 身份证号: 15位旧号码，按18位" in html
    preview = Job.objects.get(status="done")
    client.post(reverse("residents:import_confirm", args=[preview.pk]))
    assert_office_rows_stored(community)


def test_it_imports_the_same_file_through_the_command_and_prints_the_conversion(community, tmp_path, capsys):
    ok, out, err = through_command(community, tmp_path, gb18030_csv(office_rows()), "花名册.csv", capsys)
    assert ok, err
    assert "第 6 行 身份证号: 15位旧号码，按18位" in out and "已新增 4 人" in out
    assert_office_rows_stored(community)


def test_it_imports_an_xlsx_with_a_merged_title_row_and_date_cells(community):
    report = import_residents(path_or_file=io.BytesIO(office_xlsx(xlsx_rows())), community=community)
    assert report.ok, report.errors
    wang = Resident.objects.get(id_number=WANG)
    assert wang.birth_date == datetime.date(1962, 3, 14)
    assert Resident.objects.get(id_number=AYI).move_in_date == datetime.date(2015, 10, 8)


def test_it_takes_a_household_number_typed_as_a_number(community):
    data = xlsx_rows()
    data[0][3] = data[1][3] = 101  # a number cell: only the ID number column minds
    assert import_residents(path_or_file=io.BytesIO(office_xlsx(data)), community=community).ok
    assert Resident.objects.get(id_number=WANG).household.number == "101"


def test_it_numbers_the_errors_of_a_file_with_a_title_row_as_the_spreadsheet_shows_them(community):
    data = xlsx_rows()
    data[1][6] = "本地"
    report = import_residents(path_or_file=io.BytesIO(office_xlsx(data)), community=community)
    assert report.errors == ["第 4 行 户籍: “本地”无效，应为 本社区、外地 之一"]


def test_it_reports_a_wrong_header_on_its_own_row_below_the_title(community):
    header = [h if h != "户籍" else "户口" for h in HEADER]
    data = gb18030_csv(office_rows()).decode("gb18030").replace(",".join(HEADER), ",".join(header))
    report = import_residents(path_or_file=io.BytesIO(data.encode("gb18030")), community=community)
    assert report.errors == ["第 2 行 户籍: 缺少必填列", "第 2 行 户口: 未知的列（请检查列名是否写错）"]


# --- refused, naming the row ---------------------------------------------------------------------------------

def test_it_refuses_xlsx_id_cells_that_are_numbers_whatever_their_digits(community):
    assert parse_id_number(MANGLED).number == MANGLED  # the mangled digits pass every check of the number itself
    cells = {0: int(REAL), 1: float(REAL)}  # exact digits, and what Excel really holds (15 significant digits)
    report = import_residents(path_or_file=io.BytesIO(office_xlsx(xlsx_rows(), number_ids=cells)),
                              community=community)
    assert report.errors == [f"第 3 行 身份证号: {MESSAGE}", f"第 4 行 身份证号: {MESSAGE}"]
    assert "文本" in MESSAGE
    assert not Resident.objects.exists()


def test_it_refuses_a_15_digit_number_stored_as_a_number_too(community):
    report = import_residents(path_or_file=io.BytesIO(office_xlsx(xlsx_rows(), number_ids={0: int(OLD)})),
                              community=community)
    assert report.errors == [f"第 3 行 身份证号: {MESSAGE}"]


@pytest.mark.parametrize("written", ["3.20411E+17", "3.20411199801284e+17", f"{REAL}.0", "320411199801280000"])
def test_it_refuses_csv_id_cells_excel_wrote_from_a_number(community, written):
    data = office_rows()
    data[0][1] = written
    report = import_residents(path_or_file=io.BytesIO(gb18030_csv(data)), community=community)
    assert report.errors == [f"第 3 行 身份证号: {MESSAGE}"]


def test_it_accepts_a_real_number_ending_in_000_that_passes_its_checksum(community):
    """Excel's 15 significant digits end an 18-digit number in 000, but so may a real number: only a failing one is
    taken for a number cell."""
    first17 = next(f"3204111998{month:02d}28{digit}00" for month in range(1, 13) for digit in range(10)
                   if check_char(f"3204111998{month:02d}28{digit}00") == "0")
    data = office_rows()
    data[0][1] = first17 + "0"
    data[0][2] = ""
    report = import_residents(path_or_file=io.BytesIO(gb18030_csv(data)), community=community)
    assert report.ok, report.errors


@pytest.mark.parametrize(("region", "reason"), [
    ("990102", "前两位 99 不是省级行政区划代码"),
    ("320499", "前六位 320499 不是行政区划代码（GB/T 2260，含已撤销的）"),
])
def test_it_refuses_an_unknown_division_code_naming_the_row(community, region, reason):
    data = office_rows()
    data[2][1] = make_id_number(region=region, birth_date=datetime.date(1975, 5, 9), sequence=1, sex="F")
    data[2][2] = ""
    report = import_residents(path_or_file=io.BytesIO(gb18030_csv(data)), community=community)
    assert report.errors == [f"第 5 行 身份证号: {reason}"]


def test_it_accepts_the_code_of_a_division_abolished_since(community):
    data = office_rows()
    data[2][1] = make_id_number(region="320405", birth_date=datetime.date(1975, 5, 9), sequence=1, sex="F")  # 戚墅堰区
    data[2][2] = ""
    assert import_residents(path_or_file=io.BytesIO(gb18030_csv(data)), community=community).ok


def test_the_page_refuses_number_cells_and_unknown_divisions_naming_the_rows(login, committee_user, community):
    data = xlsx_rows()
    data[1][1] = make_id_number(region="990102", birth_date=datetime.date(1990, 7, 1), sequence=3, sex="F")
    html = through_page(login(committee_user), office_xlsx(data, number_ids={0: float(REAL)}), "花名册.xlsx")
    assert f"第 3 行 身份证号: {MESSAGE}" in html
    assert "第 4 行 身份证号: 前两位 99 不是省级行政区划代码" in html
    assert "确认导入" not in html and not Resident.objects.exists()


def test_the_command_refuses_number_cells_and_unknown_divisions_naming_the_rows(community, tmp_path, capsys):
    data = xlsx_rows()
    data[1][1] = make_id_number(region="320499", birth_date=datetime.date(1990, 7, 1), sequence=3, sex="F")
    ok, _out, err = through_command(community, tmp_path, office_xlsx(data, number_ids={0: float(REAL)}),
                                    "花名册.xlsx", capsys)
    assert not ok
    assert f"第 3 行 身份证号: {MESSAGE}" in err
    assert "第 4 行 身份证号: 前六位 320499 不是行政区划代码" in err
    assert not Resident.objects.exists()


def test_the_command_names_a_missing_file_in_chinese(community, tmp_path):
    missing = tmp_path / "没有这个文件.csv"
    with pytest.raises(CommandError) as refused:
        call_command("import_residents", str(missing), "--community", community.code)
    assert str(refused.value) == f"找不到文件 {missing}，请检查文件名和路径"
    assert "No such file" not in str(refused.value)


# --- the template and the export ------------------------------------------------------------------------------

def test_the_import_page_lists_the_columns_and_offers_the_template(login, committee_user, community):
    client = login(committee_user)
    html = client.get(reverse("residents:import")).content.decode()
    assert 'id="import-columns"' in html and reverse("residents:import_template") in html
    for header in ("姓名", "身份证号", "入住日期", "人群标签", "联系电话"):
        assert f"<td>{header}</td>" in html
    response = client.get(reverse("residents:import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "居民花名册"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["姓名", "身份证号", "性别"] and sheet.max_row == 1
    for name in ("身份证号", "联系电话"):
        letter = sheet.cell(row=1, column=header.index(name) + 1).column_letter
        assert sheet.column_dimensions[letter].number_format == "@"  # what a clerk types there stays text


def test_the_template_filled_in_imports(login, committee_user, community):
    book = load_workbook(io.BytesIO(login(committee_user).get(reverse("residents:import_template")).content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    values = {"姓名": "王建国", "身份证号": WANG, "户号": "A001", "与户主关系": "户主", "居民小组": "第一居民小组",
              "户籍": "本社区", "居住情况": "在住"}
    sheet.append([values.get(h) for h in header])
    out = io.BytesIO()
    book.save(out)
    assert import_residents(path_or_file=io.BytesIO(out.getvalue()), community=community).created == 1


def test_the_xlsx_export_is_a_sheet_named_for_the_register_with_text_id_numbers(community):
    from residents.services.exporting import export_residents

    import_residents(path_or_file=io.BytesIO(gb18030_csv(office_rows())), community=community)
    sheet = load_workbook(io.BytesIO(export_residents(community=community, file_format="xlsx"))).active
    assert sheet.title == "居民花名册"
    column = [c.value for c in sheet[1]].index("身份证号") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    assert {c.value for c in cells} == {WANG, AYI, X_NUMBER, OLD_AS_18}
    assert all(c.data_type == "s" and c.number_format == "@" for c in cells)
    again = import_residents(path_or_file=io.BytesIO(export_residents(community=community, file_format="xlsx")),
                             community=community)
    assert again.ok and again.unchanged == 4
