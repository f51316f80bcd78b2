"""import_residents: a 20,000-row residents CSV with full validation, through the import command's code path
(`residents.services.importing.import_residents`), against a raw bulk insert of the same rows in the same run.

Both go into a new community made for the benchmark and are rolled back, so the run leaves nothing behind
and either order sees the same database. The raw insert is the floor: the same CSV read with the csv
module and the households and residents INSERTed with `executemany`, no validation, no pinyin, no audit rows.
"""

import csv
import datetime
import io
import random
import tempfile
import time
from pathlib import Path

from django.db import connection, transaction

from lib.divisions import division_codes
from lib.idcard import make_id_number
from org.models import Community, StreetOffice
from residents.models import Household, Resident, ResidentGroup
from residents.services.importing import import_residents

RSS_LIMIT_MB = 300
HEADER = ["姓名", "身份证号", "性别", "出生日期", "户号", "与户主关系", "居民小组", "地址", "户籍", "居住情况",
          "入住日期", "政治权利", "参选意愿", "联系电话", "人群标签"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国 秀英 桂兰 志强 丽华 国庆 海燕 文明 玉梅 德胜 春生 淑珍 伟 芳 娜 敏 静 磊".split()
RELATIONS = ["户主", "配偶", "子女", "子女", "父母"]
LABELS = ["", "", "", "", "", "", "", "", "低保", "残疾", "高龄", "退役军人;失业"]


def make_csv(rows: int, seed: int = 9) -> bytes:
    """A clean residents file of `rows` rows in households of 1–5, ID numbers of a region the demo never uses."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    n = household = 0
    while n < rows:
        household += 1
        for member in range(min(rng.randint(1, 5), rows - n)):
            n += 1
            sex = rng.choice("MF")
            birth = datetime.date(rng.randint(1940, 2015), rng.randint(1, 12), rng.randint(1, 28))
            elsewhere = rng.random() < 0.1
            # A real region per 500 rows (the import checks GB/T 2260), taken from the end of the table: the demo
            # takes its regions from the start (residents/demo.py: REGIONS). Within one, `sequence` keeps the order
            # codes distinct.
            id_number = make_id_number(region=division_codes()[-1 - n // 500], birth_date=birth, sequence=n, sex=sex)
            writer.writerow([
                rng.choice(SURNAMES) + rng.choice(GIVEN), id_number,
                "男" if sex == "M" else "女", birth.isoformat(), f"B{household:05d}", RELATIONS[min(member, 4)],
                f"第{household // 120 + 1}居民小组", f"{household // 90 + 1}幢{household % 30 + 1}室",
                "外地" if elsewhere else "本社区", "在住", "2015-03-01" if elsewhere and birth.year < 2015 else
                ("2016-03-01" if elsewhere else ""), "有", "登记" if elsewhere else "",
                f"139{rng.randint(0, 99_999_999):08d}", rng.choice(LABELS)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def raw_insert(data: bytes, community: Community) -> int:
    """The baseline: read the CSV, INSERT households and residents as they are."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
    households = {}
    for r in rows:
        households.setdefault(r[4], r[7])
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(ResidentGroup._meta.db_table)} (community_id, name) VALUES (%s, %s)",
                           [(community.pk, name) for name in dict.fromkeys(r[6] for r in rows)])
        groups = dict(ResidentGroup.objects.filter(community=community).values_list("name", "pk"))
        cursor.executemany(f"INSERT INTO {quote(Household._meta.db_table)} (community_id, number, address) "
                           "VALUES (%s, %s, %s)", [(community.pk, n, a) for n, a in households.items()])
        pks = dict(Household.objects.filter(community=community).values_list("number", "pk"))
        relation = {"户主": "head", "配偶": "spouse", "子女": "child", "父母": "parent"}
        cursor.executemany(
            f"INSERT INTO {quote(Resident._meta.db_table)} (community_id, household_id, group_id, relation, name, "
            "name_pinyin, id_number, sex, birth_date, address, registration, living, deprived, election_wish, phone, "
            "ethnicity, political, education, version) "
            "VALUES (%s, %s, %s, %s, %s, '', %s, %s, %s, %s, %s, %s, false, '', %s, '', '', '', 1)",
            [(community.pk, pks[r[4]], groups[r[6]], relation[r[5]], r[0], r[1], "M" if r[2] == "男" else "F", r[3],
              r[7], "elsewhere" if r[8] == "外地" else "local", "living", r[13]) for r in rows])
    return len(rows)


def orm_bulk_insert(data: bytes, community: Community) -> int:
    """The ORM's raw bulk path: the CSV read, then groups, households and residents by `bulk_create`, as they are
    (no validation, no pinyin, no audit rows): what a plain bulk import costs before any checking."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
    groups = {g.name: g for g in ResidentGroup.objects.bulk_create(
        [ResidentGroup(community=community, name=name) for name in dict.fromkeys(r[6] for r in rows)])}
    households = {}
    for r in rows:
        households.setdefault(r[4], Household(community=community, number=r[4], address=r[7]))
    Household.objects.bulk_create(households.values(), batch_size=2000)
    relation = {"户主": "head", "配偶": "spouse", "子女": "child", "父母": "parent"}
    Resident.objects.bulk_create([
        Resident(community=community, household=households[r[4]], group=groups[r[6]], relation=relation[r[5]],
                 name=r[0], id_number=r[1], sex="M" if r[2] == "男" else "F",
                 birth_date=datetime.date.fromisoformat(r[3]), address=r[7],
                 registration="elsewhere" if r[8] == "外地" else "local", living="living", phone=r[13])
        for r in rows], batch_size=2000)
    return len(rows)


def _rolled_back(func):
    started = time.perf_counter()
    with transaction.atomic():
        result = func()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, result


def run(*, quick: bool) -> dict:
    rows = 5_000 if quick else 20_000
    data = make_csv(rows)
    street = StreetOffice.objects.order_by("id").first()
    community, _ = Community.objects.get_or_create(code="BENCH", defaults={"name": "基准测试社区", "street": street})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "residents.csv"
        path.write_bytes(data)
        # Best of two, interleaved: the machine is shared, and each run sees the same database (all rolled back).
        floors, baselines, seconds_list = [], [], []
        for _ in range(2):
            floors.append(_rolled_back(lambda: raw_insert(data, community))[0])
            baselines.append(_rolled_back(lambda: orm_bulk_insert(data, community))[0])
            elapsed, report = _rolled_back(lambda: import_residents(path_or_file=str(path), community=community))
            seconds_list.append(elapsed)
        floor, baseline, seconds = min(floors), min(baselines), min(seconds_list)
    if not report.ok or report.created != rows:
        raise SystemExit(f"import failed: {report.errors[:5]}")
    rate = rows / seconds
    ratio = seconds / baseline
    return {"value": round(rate), "unit": "rows/s", "target": 5000, "rows": rows, "seconds": round(seconds, 2),
            "baseline": round(baseline, 2), "baseline_what": "csv + bulk_create, no validation or audit rows",
            "ratio": round(ratio, 2), "floor": round(floor, 2), "floor_what": "csv + executemany INSERT",
            "ratio_to_floor": round(seconds / floor, 2), "ratio_target": 3.0, "ok": rate >= 5000 and ratio <= 3.0}
