import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from lib.idcard import make_id_number
from residents.models import Household, Label, Living, Relation, Resident, ResidentGroup, ResidentLabel
from residents.services.exporting import export_residents
from residents.services.importing import import_residents

from .factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "性别", "出生日期", "户号", "与户主关系", "居民小组", "地址", "户籍", "居住情况",
          "入住日期", "政治权利", "参选意愿", "联系电话", "人群标签"]
WU = make_id_number(birth_date=datetime.date(1949, 12, 31), sequence=1, sex="F")
FANG = make_id_number(birth_date=datetime.date(1975, 3, 2), sequence=2, sex="M")
YIN = make_id_number(birth_date=datetime.date(2001, 7, 9), sequence=3, sex="M")
GE = make_id_number(region="110105", birth_date=datetime.date(1990, 1, 20), sequence=4, sex="M")


def rows():
    """A clean file: two households, a migrant, labels, a deprived resident."""
    return [
        {"姓名": "吴逸芸", "身份证号": WU, "性别": "女", "出生日期": "1949-12-31", "户号": "A001", "与户主关系": "户主",
         "居民小组": "第一居民小组", "地址": "1幢1单元101室", "户籍": "本社区", "居住情况": "在住",
         "联系电话": "13812345678", "人群标签": "高龄;独居老人"},
        {"姓名": "方学全", "身份证号": FANG, "户号": "A002", "与户主关系": "户主", "居民小组": "第一居民小组",
         "地址": "1幢1单元102室", "户籍": "本社区", "居住情况": "不在住", "参选意愿": "登记",
         "联系电话": "0519-86681234"},
        {"姓名": "印彦邦", "身份证号": YIN, "户号": "A002", "与户主关系": "子女", "居民小组": "第二居民小组",
         "地址": "1幢1单元102室", "户籍": "本社区", "居住情况": "在住", "政治权利": "被剥夺", "参选意愿": "不登记"},
        {"姓名": "葛鸿平", "身份证号": GE, "户号": "B001", "与户主关系": "户主", "居民小组": "第二居民小组",
         "户籍": "外地", "居住情况": "在住", "入住日期": "2020-05-01", "人群标签": "流动人口"},
    ]


def csv_bytes(data, header=HEADER, bom=False) -> io.BytesIO:
    lines = [",".join(header)] + [",".join(r.get(h, "") for h in header) for r in data]
    return io.BytesIO((("\ufeff" if bom else "") + "\n".join(lines) + "\n").encode())


def xlsx_bytes(data, header=HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in data:
        sheet.append([r.get(h, "") or None for h in header])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def run(community, data, **kwargs):
    return import_residents(path_or_file=csv_bytes(data), community=community, **kwargs)


def history_count() -> int:
    return sum(m.history.count() for m in (Resident, Household, ResidentGroup, ResidentLabel))


def test_it_imports_a_clean_file(community):
    report = run(community, rows())
    assert report.ok, report.errors
    assert (report.created, report.groups_created, report.households_created) == (4, 2, 3)
    wu = Resident.objects.get(id_number=WU)
    assert (wu.sex, wu.birth_date, wu.name_pinyin, wu.household.address) == (
        "F", datetime.date(1949, 12, 31), "wu yi yun", "1幢1单元101室")
    assert set(wu.labels.values_list("label", flat=True)) == {Label.VERY_OLD, Label.ALONE}
    yin = Resident.objects.get(id_number=YIN)
    assert (yin.deprived, yin.election_wish, yin.relation, yin.household.number) == (True, "decline", "child", "A002")
    assert Resident.objects.get(id_number=GE).move_in_date == datetime.date(2020, 5, 1)
    assert Resident.history.filter(history_type="+").count() == 4


def test_it_reads_csv_with_bom_and_xlsx(community, other_community):
    assert import_residents(path_or_file=csv_bytes(rows(), bom=True), community=community).created == 4
    Resident.objects.all().delete()
    assert import_residents(path_or_file=xlsx_bytes(rows()), community=community).created == 4


def test_it_changes_nothing_on_a_second_import(community):
    run(community, rows())
    before = history_count()
    report = run(community, rows())
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert history_count() == before


def test_it_writes_nothing_on_a_dry_run(community):
    report = run(community, rows(), dry_run=True)
    assert report.ok and report.created == 4
    assert not Resident.objects.exists() and not ResidentGroup.objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_it_re_imports_its_own_export_unchanged(community, file_format):
    run(community, rows())
    before = history_count()
    exported = export_residents(community=community, file_format=file_format)
    report = import_residents(path_or_file=io.BytesIO(exported), community=community)
    assert report.ok, report.errors
    assert (report.rows, report.created, report.updated, report.labels_added, report.labels_closed) == (4, 0, 0, 0, 0)
    assert history_count() == before


def test_it_exports_the_household_head_first_with_chinese_labels(community):
    run(community, rows())
    text = export_residents(community=community, file_format="csv").decode("utf-8-sig").splitlines()
    # The statistics columns come last (docs/formats.md, Residents file); files without them import unchanged.
    assert text[0] == ",".join([*HEADER, "民族", "政治面貌", "文化程度"])
    assert text[2].startswith(f"方学全,{FANG},男,1975-03-02,A002,户主,第一居民小组")
    assert text[1].endswith("13812345678,高龄;独居老人,,,")


def test_it_updates_a_changed_resident_bumps_its_version_and_keeps_history(community):
    run(community, rows())
    data = rows()
    data[0]["联系电话"] = "13900000000"
    data[0]["人群标签"] = "高龄"
    report = run(community, data)
    assert (report.updated, report.unchanged, report.labels_closed) == (1, 3, 1)
    wu = Resident.objects.get(id_number=WU)
    assert (wu.phone, wu.version) == ("13900000000", 2)
    assert wu.history.count() == 2
    alone = wu.labels.get(label=Label.ALONE)
    assert alone.ends is not None  # closed, not deleted


def test_it_swaps_household_heads_in_one_import(community):
    run(community, rows())
    data = rows()
    data[1]["与户主关系"], data[2]["与户主关系"] = "父母", "户主"
    assert run(community, data).ok
    assert Resident.objects.get(id_number=YIN).relation == Relation.HEAD
    assert Resident.objects.get(id_number=FANG).relation == Relation.PARENT


def test_it_closes_the_representative_term_of_someone_who_moved_away(community):
    from residents.models import Representative

    run(community, rows())
    wu = Resident.objects.get(id_number=WU)
    term = Representative.objects.create(community=community, resident=wu, group=wu.group,
                                         starts=datetime.date(2023, 1, 1))
    data = rows()
    data[0]["居住情况"] = "迁出"
    assert run(community, data).ok
    term.refresh_from_db()
    assert term.ends is not None and term.ended_by == "moved"


def errors_for(community, change, data=None):
    data = data or rows()
    change(data)
    report = run(community, data)
    assert not Resident.objects.exists()
    return report.errors


def set_cell(index, header, value):
    def change(data):
        data[index][header] = value
    return change


@pytest.mark.parametrize(("index", "header", "value", "message"), [
    (0, "姓名", "", "第 2 行 姓名: 必填"),
    (0, "身份证号", WU[:-1] + ("0" if WU[-1] != "0" else "1"), "第 2 行 身份证号: 校验位错误"),
    (0, "身份证号", "12345", "第 2 行 身份证号: 长度应为18位（或15位旧号码）"),
    (0, "身份证号", "11010519491331002X", "第 2 行 身份证号: 出生日期无效"),
    (0, "性别", "男", "第 2 行 性别: 与身份证号不符"),
    (0, "性别", "未知", "第 2 行 性别: “未知”无效，应为 男、女 之一"),
    (0, "出生日期", "1950-01-01", "第 2 行 出生日期: 与身份证号不符"),
    (0, "出生日期", "1949/13/31", "第 2 行 出生日期: “1949/13/31”不是有效日期，应为 YYYY-MM-DD"),
    (1, "户号", "", "第 3 行 户号: 必填"),
    (2, "与户主关系", "表亲",
     "第 4 行 与户主关系: “表亲”无效，应为 户主、配偶、子女、父母、孙子女、兄弟姐妹、其他 之一"),
    (3, "居民小组", "", "第 5 行 居民小组: 必填"),
    (3, "户籍", "本地", "第 5 行 户籍: “本地”无效，应为 本社区、外地 之一"),
    (3, "居住情况", "暂住", "第 5 行 居住情况: “暂住”无效，应为 在住、不在住、迁出、死亡 之一"),
    (3, "入住日期", "", "第 5 行 入住日期: 户籍为外地且在住时必填"),
    (3, "入住日期", "2999-01-01", "第 5 行 入住日期: 不能晚于今天"),
    (3, "入住日期", "1980-01-01", "第 5 行 入住日期: 早于出生日期"),
    (2, "政治权利", "无", "第 4 行 政治权利: “无”无效，应为 有 或 被剥夺"),
    (2, "参选意愿", "随便", "第 4 行 参选意愿: “随便”无效，应为 登记、不登记 之一"),
    (0, "联系电话", "1381234", "第 2 行 联系电话: “1381234”无效，应为11位手机号或如 0519-86681234 的固定电话"),
    (0, "人群标签", "高龄;富豪", "第 2 行 人群标签: 未知的人群标签“富豪”，应为 低保、残疾、优抚、大病救助、"
                                "困难户、高龄、独居老人、流动人口、退役军人、失业 之一"),
    (0, "地址", "很" * 201, "第 2 行 地址: 过长（最多 200 个字）"),
])
def test_it_refuses_a_bad_cell_naming_row_header_and_reason(community, index, header, value, message):
    errors = errors_for(community, set_cell(index, header, value))
    assert any(e.startswith(message) for e in errors), errors


def test_it_refuses_a_household_without_a_head(community):
    errors = errors_for(community, set_cell(1, "与户主关系", "配偶"))
    assert errors == ["第 3 行 与户主关系: 户 A002 没有户主"]


def test_it_refuses_a_household_with_two_heads(community):
    errors = errors_for(community, set_cell(2, "与户主关系", "户主"))
    assert errors == ["第 4 行 与户主关系: 户 A002 只能有一名户主，已有第 3 行"]


def test_it_refuses_a_second_head_for_a_household_already_registered(community):
    household = HouseholdFactory(community=community, number="A001")
    ResidentFactory(community=community, household=household, relation=Relation.HEAD, name="张吉生")
    errors = run(community, rows()).errors
    assert errors == ["第 2 行 与户主关系: 户 A001 已有户主 张吉生（不在本文件中）"]


def test_it_refuses_a_head_leaving_a_household_with_members_behind(community):
    run(community, rows())
    data = [r for r in rows() if r["身份证号"] == FANG]
    data[0]["户号"] = "C009"
    assert run(community, data).errors == ["第 2 行 户号: 户主迁往户 C009 后，户 A002 将没有户主"]


def test_it_refuses_the_same_id_number_twice_in_a_file(community):
    data = rows()
    data.append(dict(data[0], 户号="A009"))
    assert "第 6 行 身份证号: 与第 2 行重复" in run(community, data).errors


def test_it_refuses_an_id_number_registered_in_another_community(community, other_community):
    ResidentFactory(community=other_community, id_number=WU, sex="F", birth_date=datetime.date(1949, 12, 31))
    errors = run(community, rows()).errors
    assert errors == [f"第 2 行 身份证号: 已在{other_community.name}登记，一人只能登记一处"]


def test_it_refuses_unknown_and_missing_columns(community):
    header = [h for h in HEADER if h != "户籍"] + ["备注"]
    report = import_residents(path_or_file=csv_bytes(rows(), header=header), community=community)
    assert report.errors == ["第 1 行 户籍: 缺少必填列", "第 1 行 备注: 未知的列（请检查列名是否写错）"]


def test_it_refuses_a_file_that_is_neither_utf8_nor_gb18030(community):
    report = import_residents(path_or_file=io.BytesIO("姓名,身份证号\n".encode("utf-16")), community=community)
    assert report.errors == ["第 1 行 文件: 文件不是 CSV（UTF-8 或 GB18030/GBK 编码），也不是 XLSX"
                             "（请在表格软件中另存为 CSV 或 XLSX）"]


def test_it_reports_every_error_of_the_file_in_one_run(community):
    data = rows()
    data[0]["身份证号"] = "12345"
    data[1]["居住情况"] = "暂住"
    data[3]["入住日期"] = ""
    data.append({"姓名": "", "身份证号": WU})
    errors = run(community, data).errors
    assert [e.split(":")[0] for e in errors] == [
        "第 2 行 身份证号", "第 3 行 居住情况", "第 5 行 入住日期", "第 6 行 姓名", "第 6 行 户号",
        "第 6 行 与户主关系", "第 6 行 居民小组", "第 6 行 户籍", "第 6 行 居住情况"]


def test_it_keeps_values_of_columns_the_file_does_not_have(community):
    run(community, rows())
    header = [h for h in HEADER if h not in ("联系电话", "人群标签")]
    report = import_residents(path_or_file=csv_bytes(rows(), header=header), community=community)
    assert (report.updated, report.labels_closed) == (0, 0)
    assert Resident.objects.get(id_number=WU).phone == "13812345678"


def test_the_command_exits_1_names_every_bad_row_and_writes_nothing(community, tmp_path, capsys):
    data = rows()
    data[0]["身份证号"] = WU[:-1] + ("0" if WU[-1] != "0" else "1")
    data[1]["与户主关系"] = "配偶"
    data[3]["性别"] = "女"
    data[3]["联系电话"] = "12"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(data).getvalue())
    with pytest.raises(CommandError, match="发现 4 处错误，未写入任何数据") as raised:
        call_command("import_residents", str(bad), "--community", community.code)
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    for expected in ("第 2 行 身份证号: 校验位错误", "第 3 行 与户主关系: 户 A002 没有户主",
                     "第 5 行 性别: 与身份证号不符", "第 5 行 联系电话:"):
        assert expected in err
    assert not Resident.objects.exists() and not Household.objects.exists() and not ResidentGroup.objects.exists()

    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(rows()).getvalue())
    call_command("import_residents", str(good), "--community", community.code)
    assert Resident.objects.filter(community=community).count() == 4
    call_command("import_residents", str(good), "--community", community.code)
    assert "新增 0 人，更新 0 人，4 人无变化" in capsys.readouterr().out


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_command_output_re_imports_unchanged(community, tmp_path, capsys, file_format):
    run(community, rows())
    out = tmp_path / f"export.{file_format}"
    call_command("export_residents", "--community", community.code, "--format", file_format, "-o", str(out))
    call_command("import_residents", str(out), "--community", community.code, "--dry-run")
    assert "新增 0 人，更新 0 人，4 人无变化" in capsys.readouterr().out


def test_it_marks_living_status_from_the_file(community):
    data = rows()
    data[2]["居住情况"] = "死亡"
    run(community, data)
    assert Resident.objects.get(id_number=YIN).living == Living.DECEASED
