"""Demo registry for `loaddemo`: households of varied sizes, groups with leaders, every label, 人户分离
cases, migrants with move-in dates, deprived and declining voters, representatives and care records.

`small` gives each community of the street about 300 residents, `street` about 10,000 (100,000 in the
ten communities), written with set-based inserts (residents.bulk). A community is only topped up to its
size, so running it again (or `street` after `small`) duplicates nothing.
"""

import datetime
import random

from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lib.divisions import division_codes
from lib.idcard import make_id_number
from org.models import Community, StreetOffice

from .bulk import insert_with_history
from .models import (
    CareKind,
    CareRecord,
    Education,
    ElectionWish,
    Ethnicity,
    Household,
    Hukou,
    Label,
    Living,
    Political,
    Relation,
    Representative,
    RepresentativeEnd,
    RepresentativeKind,
    Resident,
    ResidentGroup,
    ResidentLabel,
)
from .services import pinyin_of, years_before

SIZES = {"small": (300, 6), "street": (10_000, 30)}  # residents and groups per community
# Real names from the documents (the 后北岸社区 committee, an earlier director and member), heads of the
# first households of the first community.
# The people of the seed report and of the demo election (candidates, election committee, counting staff).
REAL_NAMES = ["吴逸芸", "方学全", "印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴", "肖桂焕", "曾卫民", "杨秀兰",
              "王建国", "李秀英", "周丽华", "江兆", "陈海树", "朱锦新", "孙沛暖", "朱勇辉", "刘洋", "陈静", "杨磊",
              "黄振华", "林美玲"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = ("建国 秀英 桂兰 志强 丽华 国庆 海燕 文明 玉梅 德胜 春生 淑珍 伟 芳 娜 敏 静 磊 洋 勇 艳 杰 娟 涛 明 "
         "超 霞 平 刚 鸿平 若虹 吉生 惠琴 学全 彦邦 逸芸 卫民 晓东 子轩 欣怡 思远 雨涵 浩然 梓涵 一鸣 佳怡 俊杰 "
         "婷婷 宇航 雪梅 金凤 永红 福生 根宝 小妹 红英 爱华 志明 建华 凤英 兰英 玉兰 振华 家豪 诗涵 睿 萱").split()
CHANGE_REASON = "演示数据"
HEAD_BORN = (1938, 1948, 1955, 1960, 1965, 1970, 1975, 1980, 1985, 1990)  # decade starts, weighted young
HOUSEHOLD_SIZES = [1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 6]
RESIDENT_COLUMNS = ("community_id", "household_id", "relation", "group_id", "name", "name_pinyin", "id_number",
                    "sex", "birth_date", "address", "registration", "living", "move_in_date", "deprived",
                    "election_wish", "phone", "ethnicity", "political", "education", "version")


def load(*, street: StreetOffice, size: str) -> None:
    target, group_count = SIZES[size]
    taken = set(Resident.objects.values_list("id_number", flat=True))
    counts = dict(Community.objects.filter(street=street).annotate(n=Count("residents")).values_list("code", "n"))
    for index, community in enumerate(Community.objects.filter(street=street).order_by("code")):
        missing = target - counts.get(community.code, 0)
        if missing > target // 10:
            _fill(community, missing=missing, group_count=group_count, taken=taken,
                  real_names=list(REAL_NAMES) if community.code == "HBA" else [], seed=index)
        _representatives(community)
        _care(community)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


# Real division codes (an ID number's first six digits are checked against GB/T 2260), 常州 first: most residents
# of a 常州 street were born there.
REGIONS = sorted(division_codes(), key=lambda code: not code.startswith("3204"))


class _Ids:
    """Valid, unique ID numbers: a running order code per region, skipping numbers already registered."""

    def __init__(self, taken: set[str]):
        self.taken, self.n = taken, len(taken)

    def make(self, birth: datetime.date, sex: str) -> str:
        while True:
            self.n += 1
            number = make_id_number(region=REGIONS[self.n // 500 % len(REGIONS)], birth_date=birth,
                                    sequence=self.n, sex=sex)
            if number not in self.taken:
                self.taken.add(number)
                return number


def _fill(community: Community, *, missing: int, group_count: int, taken: set[str], real_names: list[str],
          seed: int) -> None:
    rng = random.Random(f"{community.code}-{seed}")
    today = timezone.localdate()
    ids = _Ids(taken)
    groups = {g.name: g for g in ResidentGroup.objects.filter(community=community)}
    new_groups = [ResidentGroup(community=community, name=f"第{i}居民小组") for i in range(1, group_count + 1)
                  if f"第{i}居民小组" not in groups]
    bulk_create_with_history(new_groups, ResidentGroup, default_change_reason=CHANGE_REASON)
    groups = list(ResidentGroup.objects.filter(community=community).order_by("id"))
    used = set(Household.objects.filter(community=community).values_list("number", flat=True))

    households, people = [], []  # (number, address); (household number, resident values…)
    per_group = max(1, int(missing / 2.7 / len(groups)))
    number = len(used)
    while len(people) < missing:
        number += 1
        code = f"{number:05d}"
        if code in used:
            continue
        building = (number - 1) // 90 + 1
        address = f"{building}幢{(number - 1) // 30 % 3 + 1}单元{(number - 1) % 30 // 5 + 1}0{(number - 1) % 5 + 1}室"
        households.append((community.pk, code, address))
        group = groups[(number - 1) // per_group % len(groups)]  # neighbouring households, one group
        # The households of the real names (the committee, the candidates) live here, registered here.
        migrant_household = rng.random() < 0.12 and not real_names
        size = rng.choice(HOUSEHOLD_SIZES)
        head_birth = datetime.date(rng.choice(HEAD_BORN) + rng.randint(0, 9), rng.randint(1, 12), rng.randint(1, 28))
        members = [(Relation.HEAD, head_birth, rng.choice("MF"))]
        if size >= 2:
            members.append((Relation.SPOUSE, head_birth + datetime.timedelta(days=rng.randint(-1500, 1500)),
                            "F" if members[0][2] == "M" else "M"))
        for _ in range(size - len(members)):
            if head_birth.year < 1960 and rng.random() < 0.4:
                birth = head_birth + datetime.timedelta(days=rng.randint(48, 60) * 365)
                members.append((Relation.GRANDCHILD, min(birth, today), rng.choice("MF")))
            elif head_birth.year > 1975 and rng.random() < 0.3:
                members.append((Relation.PARENT, head_birth - datetime.timedelta(days=rng.randint(22, 32) * 365),
                                rng.choice("MF")))
            else:
                birth = head_birth + datetime.timedelta(days=rng.randint(22, 36) * 365)
                members.append((Relation.CHILD, min(birth, today - datetime.timedelta(days=30)), rng.choice("MF")))
        surname = rng.choice(SURNAMES)
        move_in = datetime.date(rng.randint(2010, today.year - 1), rng.randint(1, 12), rng.randint(1, 28))
        for relation, birth, sex in members:
            real = bool(real_names) and relation == Relation.HEAD
            name = real_names.pop(0) if real else (
                surname + rng.choice(GIVEN) if relation in (Relation.CHILD, Relation.GRANDCHILD) else _name(rng))
            living = Living.LIVING
            roll = rng.random()
            if not migrant_household and not real:
                living = (Living.AWAY if roll < 0.08 else Living.MOVED if roll < 0.10
                          else Living.DECEASED if roll < 0.115 and birth.year < 1950 else Living.LIVING)
            wish = ElectionWish.UNSTATED
            if living == Living.AWAY or migrant_household:
                wish = ElectionWish.REGISTER if rng.random() < 0.5 else ElectionWish.UNSTATED
            elif rng.random() < 0.02 and not real:
                wish = ElectionWish.DECLINE
            people.append((code, relation, group.pk, name, pinyin_of(name), ids.make(birth, sex), sex, birth, address,
                           Hukou.ELSEWHERE if migrant_household else Hukou.LOCAL, living,
                           max(move_in, birth) if migrant_household else None,
                           (rng.random() < 0.003 or len(people) == 7) and not real, wish,
                           f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}" if rng.random() < 0.7 else "",
                           *_profile(rng, birth, today)))

    household_pks = insert_with_history(Household, ("community_id", "number", "address"), households, key="number",
                                        scope=Household.objects.filter(community=community),
                                        reason=CHANGE_REASON)
    rows = [(community.pk, household_pks[p[0]], *p[1:], 1) for p in people]
    resident_pks = insert_with_history(Resident, RESIDENT_COLUMNS, rows, key="id_number",
                                       scope=Resident.objects.all(), reason=CHANGE_REASON)
    _labels(rng, people, resident_pks, today)
    leaders = []
    for group in groups:
        if group.leader_id is None:
            group.leader = Resident.objects.filter(group=group, relation=Relation.HEAD,
                                                   living=Living.LIVING).order_by("id").first()
            leaders.append(group)
    bulk_update_with_history(leaders, ResidentGroup, ["leader"], default_change_reason=CHANGE_REASON)


def _profile(rng: random.Random, birth: datetime.date, today: datetime.date) -> tuple[str, str, str]:
    """民族, 政治面貌, 文化程度 at rates like a city street's (docs/domain.md, Street statistics); a few left
    blank, as a registry that asked not everyone; children have no political affiliation or finished school."""
    age = today.year - birth.year
    ethnicity = rng.choices([Ethnicity.HAN, Ethnicity.HUI, Ethnicity.MANCHU, Ethnicity.ZHUANG, Ethnicity.OTHER, ""],
                            [90, 2, 2, 1, 1, 4])[0]
    if age < 14:
        return ethnicity, "", ""
    political = rng.choices([Political.CPC, Political.CPC_PROBATIONARY, Political.DEMOCRATIC_PARTY, Political.MASSES,
                             ""], [9, 0.5, 0.5, 85, 5])[0]
    if age <= 28 and political == Political.MASSES and rng.random() < 0.4:
        political = Political.LEAGUE
    # Younger people went to school longer.
    weights = [6, 22, 20, 26, 18, 8] if age < 45 else [2, 10, 12, 30, 28, 18]
    education = rng.choices([Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE, Education.SECONDARY,
                             Education.JUNIOR, Education.PRIMARY], weights)[0]
    return ethnicity, political, education if age >= 18 or education in (Education.JUNIOR, Education.PRIMARY) else ""


def _labels(rng: random.Random, people: list[tuple], pks: dict[str, int], today: datetime.date) -> None:
    """Every label, at realistic rates; 高龄 for the over-80s, 流动人口 for the migrants living here."""
    eighty = years_before(today, 80)
    household_size: dict[str, int] = {}
    for p in people:
        household_size[p[0]] = household_size.get(p[0], 0) + 1
    labels = []
    rates = [(Label.MINIMUM_INCOME, 0.015), (Label.DISABLED, 0.02), (Label.ENTITLED, 0.005),
             (Label.SERIOUS_ILLNESS, 0.003), (Label.VETERAN, 0.01), (Label.UNEMPLOYED, 0.02)]
    seeded = 0
    for household, relation, _g, _n, _p, id_number, _s, birth, _a, registration, living, move_in, *_rest in people:
        if living not in (Living.LIVING, Living.AWAY):
            continue
        pk = pks[id_number]
        start = datetime.date(rng.randint(2015, today.year - 1), rng.randint(1, 12), 1)
        chosen = [label for label, rate in rates if rng.random() < rate or seeded < 2]  # so every label occurs
        seeded += 1
        if birth <= eighty:
            chosen.append(Label.VERY_OLD)
            if household_size[household] == 1:
                chosen.append(Label.ALONE)
        if relation == Relation.HEAD and (rng.random() < 0.012 or seeded < 4):
            chosen.append(Label.HARDSHIP)
        if registration == Hukou.ELSEWHERE and living == Living.LIVING:
            chosen.append(Label.MIGRANT)
            start = move_in
        labels.extend((pk, label, max(start, birth), None, "") for label in chosen)
    # A label that ended: a resident who found work again.
    if labels:
        labels.append((labels[0][0], Label.UNEMPLOYED, datetime.date(2019, 3, 1), datetime.date(2021, 6, 30), ""))
    insert_with_history(ResidentLabel, ("resident_id", "label", "starts", "ends", "note"), labels,
                        key=("resident_id", "label", "ends"), scope=ResidentLabel.objects.all(), reason=CHANGE_REASON)


def _representatives(community: Community) -> None:
    """1–2 elected representatives per group since the last election, two ex-officio, and one replacement."""
    if Representative.objects.filter(community=community).exists():
        return
    starts = datetime.date(timezone.localdate().year - 2, 3, 1)
    terms = []
    for group in ResidentGroup.objects.filter(community=community).order_by("id"):
        adults = list(Resident.objects.filter(group=group, living=Living.LIVING,
                                              birth_date__lte=years_before(starts, 25)).order_by("id")[:4])
        for resident in adults[:1 + group.pk % 2]:
            terms.append(Representative(community=community, resident=resident, group=group, starts=starts,
                                        kind=RepresentativeKind.ELECTED))
        if len(adults) > 3 and not any(t.ends for t in terms):
            replaced = Representative(community=community, resident=adults[3], group=group, starts=starts,
                                      kind=RepresentativeKind.ELECTED, ends=starts + datetime.timedelta(days=400),
                                      ended_by=RepresentativeEnd.MOVED, note="迁居外区，由小组补选")
            terms.append(replaced)
    for resident in Resident.objects.filter(community=community, living=Living.LIVING).exclude(
            pk__in=[t.resident_id for t in terms]).order_by("-id")[:2]:
        terms.append(Representative(community=community, resident=resident, group_id=resident.group_id,
                                    starts=starts, kind=RepresentativeKind.EX_OFFICIO, note="社区党组织成员"))
    bulk_create_with_history(terms, Representative, default_change_reason=CHANGE_REASON)


def _care(community: Community) -> None:
    """Last Spring Festival's visits with aid to most hardship households (some are still to be visited)."""
    if CareRecord.objects.filter(community=community).exists():
        return
    today = timezone.localdate()
    festival = datetime.date(today.year if today.month >= 2 else today.year - 1, 1, 20)
    households = list(Household.objects.filter(community=community, members__labels__label=Label.HARDSHIP,
                                               members__labels__ends__isnull=True).distinct().order_by("id"))
    records = [CareRecord(community=community, household=h, kind=CareKind.AID, on=festival, amount=800,
                          occasion="春节慰问", by="吴逸芸", note="送慰问金和米、油")
               for h in households[: max(1, len(households) * 3 // 4)]]
    bulk_create_with_history(records, CareRecord, default_change_reason=CHANGE_REASON)
