"""The shipped rule sets say what their sources say, clause by clause (docs/domain.md, Elections: rule sets).

Each row: set, parameter, the value the source gives, and the clause the set must cite for it (quoted from the
seed documents: the Gansu 规程 and the Nanchang plan in seed 000, the Lanzhou 七里河 plan in seed 004)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from elections.models import AgeRule, BallotOrder, Counting, NominationSource, RuleSet
from elections.rulesets import DEFAULT, GANSU, JIANGXI, LANZHOU, NOT_PARAMETERS, RULE_SETS, parameters
from elections.services import nominations as service
from elections.services.archive import export_election, import_election

from .archives import small_archive
from .factories import ElectionFactory, PositionFactory, rule_set, rules_copy

pytestmark = pytest.mark.django_db

SILENT = "未规定，取默认值"

SOURCES = [
    # 甘肃省城市居民委员会换届选举指导规程（试行）
    (GANSU, "term_years", 5, "第三条"),  # 社区居民委员会每届任期五年
    (GANSU, "extension_months_max", 6, "第三条"),  # 延期换届选举的时间应不超过半年
    (GANSU, "seats_min", 5, "第三条"), (GANSU, "seats_max", 9, "第三条"),  # 共5至9人组成
    (GANSU, "committee_min", 7, "第十条"), (GANSU, "committee_max", 11, "第十条"),  # 由7至11人单数组成
    (GANSU, "committee_odd", True, "第十条"), (GANSU, "committee_size_binding", True, "第十条"),
    (GANSU, "residence_years", 1, "第十五条"),  # 在本社区居住一年以上
    (GANSU, "household_delegate_fraction", Decimal("0.6667"), "第十六条"),  # 户代表总数的三分之二以上
    (GANSU, "roll_posted_days", 20, "第十七条"),  # 选举日前20日张榜公布
    (GANSU, "objection_days", 5, "第十七条"), (GANSU, "objection_decision_days", 3, "第十七条"),
    (GANSU, "women_share_of_representatives", Decimal("0.3333"), "第十八条"),  # 不少于居民代表总数的三分之一
    (GANSU, "representatives_per_group_min", 2, SILENT),  # 第十八条: 人数根据社区规模情况确定
    (GANSU, "joint_nomination_min", 10, "第二十一条"),  # 居民10人以上
    (GANSU, "household_nomination_min", 5, "第二十一条"),  # 户代表5人以上联合提名
    (GANSU, "group_nomination", True, "第二十一条"),  # 或者居民小组提名
    (GANSU, "organisation_nomination", False, "第二十一条"), (GANSU, "self_nomination", False, "第二十一条"),
    (GANSU, "leader_margin_extra", 1, "第二条（四）"),  # 主任、副主任候选人名额应当比应选名额多一人
    (GANSU, "margin_max_extra", 3, "第二条（四）"),  # 委员候选人名额应当比应选名额多一至三人
    (GANSU, "candidates_posted_days", 3, "第二十三条"),  # 只说“在5日内举行选举”：最早天数未定
    (GANSU, "mobile_list_days", 2, "第二十七条"), (GANSU, "mobile_box_min_workers", 3, "第二十七条"),
    (GANSU, "polling_notice_days", 3, "第二十九条"),  # 在正式投票选举之前公布：未定天数
    (GANSU, "counting", Counting.SEPARATE, "第二十九条"),
    (GANSU, "proxy_deadline_days", 3, "第三十条"), (GANSU, "proxy_limit", 3, "第三十条"),
    (GANSU, "candidates_refuse_proxies", True, "第三十条"),
    (GANSU, "ballot_order", BallotOrder.FORMS, "第三十一条"),
    (GANSU, "turnout_direct", Decimal("0.5"), "第三十八条"),
    (GANSU, "turnout_representative", Decimal("0.8"), "第三十八条"),  # 超过居民代表总数的五分之四
    (GANSU, "win_fraction", Decimal("0.5"), "第三十八条"),
    (GANSU, "age_rule", AgeRule.ON_DAY, "第二条"),  # 年满18周岁 (not 当月: that is Jiangxi's)
    (GANSU, "further_round_days", 30, "第四十条"), (GANSU, "further_round_turnout", Decimal("0.5"), "第四十条"),
    (GANSU, "further_round_fraction", Decimal("0.3333"), "第四十条"),
    (GANSU, "handover_days", 10, "第四十五条"),  # 应当在10日内……移交
    (GANSU, "voter_cards_days", 10, "工作指引（二）7"),  # 在选举日的10日前……发放选民证
    (GANSU, "tie_revote_days", 3, "工作指引（五）11"), (GANSU, "deputy_adds_director", True, "工作指引（五）11"),
    # 南昌高新区第六届村（居）委会选举工作实施意见
    (JIANGXI, "age_rule", AgeRule.IN_MONTH, "二（二）1"),  # 选举日当月年满18周岁以上
    (JIANGXI, "roll_posted_days", 20, "二（二）1"), (JIANGXI, "residence_years", 1, "二（二）1"),
    (JIANGXI, "polling_notice_days", 2, "二（二）3"),  # 在选举日的2日前予以公告
    (JIANGXI, "candidates_posted_days", 3, "第九、十条"),  # 5日前只对村委会
    (JIANGXI, "handover_days", 10, "二（三）"),  # 产生之日起10日内
    (JIANGXI, "term_years", 3, "二（三）"),  # 拟定三年任期目标
    (JIANGXI, "seats_min", 5, "四"), (JIANGXI, "seats_max", 11, "四"),  # 主任1名、副主任1―2名、委员3―7名
    (JIANGXI, "turnout_representative", Decimal("0.8"), SILENT),
    (JIANGXI, "voter_cards_days", 2, SILENT),
    # 兰州市七里河区 社区换届选举工作的实施方案
    (LANZHOU, "turnout_representative", Decimal("0.5"), "五（二）8"),  # 居民代表过半数以上选举有效
    (LANZHOU, "win_fraction", Decimal("0.5"), "五（二）8"),  # 获得出席人过半数选票才能当选
    (LANZHOU, "handover_days", 3, "五（三）10"),  # 于3日之内完成新老班子交接工作
    (LANZHOU, "candidates_posted_days", 5, "五（二）6"),  # 必须于选举日前5日公布
    (LANZHOU, "seats_odd", True, "三（二）"),  # 委员总数必须为单数
    (LANZHOU, "seats_min", 5, "三（二）"), (LANZHOU, "seats_max", 9, "三（二）"),
    (LANZHOU, "representatives_per_group_min", 2, "五（二）5"),  # 每个社区居民小组推选2—3名
    (LANZHOU, "representatives_per_group_max", 3, "五（二）5"),
    (LANZHOU, "household_nomination_min", 5, "五（二）6"), (LANZHOU, "organisation_nomination", True, "五（二）6"),
    (LANZHOU, "group_nomination", True, "五（二）6"),
    (LANZHOU, "residence_years", 0, "五（二）4"),  # 不分……居住期限
    (LANZHOU, "term_years", 3, SILENT), (LANZHOU, "voter_cards_days", 2, SILENT),
    # The default: the Organic Law and the reports (docs/domain.md)
    (DEFAULT, "representatives_per_group_min", 2, "组织法第九条"),  # 每个居民小组选举代表二至三人
    (DEFAULT, "representatives_per_group_max", 3, "组织法第九条"),
    (DEFAULT, "turnout_representative", Decimal("0.8"), "五分之四"),
    (DEFAULT, "candidates_posted_days", 3, "3日前"), (DEFAULT, "handover_days", 3, "3日内"),
    (DEFAULT, "women_share_of_representatives", Decimal("0.3333"), "第十八条"),
    (DEFAULT, "organisation_nomination", True, "组织"), (DEFAULT, "household_nomination_min", 0, "未列"),
]


@pytest.mark.parametrize(("name", "field", "value", "clause"), SOURCES,
                         ids=[f"{n}-{f}" for n, f, _v, _c in SOURCES])
def test_it_ships_each_parameter_as_its_source_says_and_cites_the_clause(name, field, value, clause):
    shipped = rule_set(name)
    assert getattr(shipped, field) == value
    assert clause in shipped.clauses[field]


@pytest.mark.parametrize("name", [DEFAULT, GANSU, JIANGXI, LANZHOU])
def test_it_gives_every_parameter_of_every_shipped_set_a_clause(name):
    fields = {f.name for f in RuleSet._meta.concrete_fields} - NOT_PARAMETERS
    assert set(rule_set(name).clauses) == fields
    assert all(rule_set(name).clauses.values())


def test_it_keeps_the_clauses_on_the_copy_an_election_holds():
    copy = rules_copy(GANSU)
    assert copy.clauses["turnout_representative"].startswith("甘肃规程第三十八条")
    assert {row["field"]: row["value"] for row in parameters(copy)}["turnout_representative"] == "4/5"


def test_it_refreshes_an_installed_set_to_the_shipped_values():
    stale = rule_set(GANSU)
    RuleSet.objects.filter(pk=stale.pk).update(turnout_representative=Decimal("0.5"), age_rule=AgeRule.IN_MONTH)
    refreshed = rule_set(GANSU)
    assert (refreshed.turnout_representative, refreshed.age_rule) == (Decimal("0.8"), AgeRule.ON_DAY)
    assert len(RULE_SETS) == RuleSet.objects.filter(is_template=True).count() == 4


def test_it_shows_each_parameter_and_its_clause_on_the_election_page(client, street_staff, community):
    election = ElectionFactory(community=community, rules=rules_copy(GANSU))
    client.force_login(street_staff)
    body = client.get(f"/elections/{election.pk}/").content.decode()
    assert "甘肃省规则" in body and 'id="rule-set"' in body
    assert "甘肃规程第三十八条：居民代表选举超过居民代表总数的五分之四" in body
    assert "甘肃规程第二十九条：在正式投票选举之前公布时间、地点，未规定天数，取默认值" in body


def nominate(election, source, **kwargs):
    member = election.positions.get(code="member")
    return service.add_nomination(election=election, position=member, name=kwargs.pop("name", "孙沛暖"),
                                  source=source, **kwargs)


@pytest.fixture
def gansu_election(community):
    election = ElectionFactory(community=community, rules=rules_copy(GANSU))
    PositionFactory(election=election, code="member", title="委员", seats=2)
    return election


def test_it_refuses_a_nomination_source_the_rule_set_does_not_allow(gansu_election, monkeypatch):
    monkeypatch.setattr(service, "_refuse_nominees_off_the_roll", lambda election, names: None)
    for source in (NominationSource.ORGANISATION, NominationSource.SELF):
        with pytest.raises(ValidationError) as err:
            nominate(gansu_election, source)
        assert err.value.messages == [
            f"本次选举的选举规则（甘肃省规则）不允许{NominationSource(source).label}。"]
    assert not gansu_election.nominations.exists()


def test_it_takes_five_household_delegates_and_a_group_up_to_the_seats_under_gansu(gansu_election, monkeypatch):
    monkeypatch.setattr(service, "_refuse_nominees_off_the_roll", lambda election, names: None)
    with pytest.raises(ValidationError, match="户代表联名提名须有5人以上，现只有4人"):
        nominate(gansu_election, NominationSource.HOUSEHOLDS, count=4)
    assert nominate(gansu_election, NominationSource.HOUSEHOLDS, count=5).count == 5
    with pytest.raises(ValidationError, match="请填写提名的居民小组"):
        nominate(gansu_election, NominationSource.GROUP, name="朱勇辉")
    nominate(gansu_election, NominationSource.GROUP, name="朱勇辉", group_name="第一居民小组")
    nominate(gansu_election, NominationSource.GROUP, name="肖桂焕", group_name="第一居民小组")
    with pytest.raises(ValidationError, match="每个居民小组所提人数不得超过应选人数"):
        nominate(gansu_election, NominationSource.GROUP, name="江兆", group_name="第一居民小组")
    nominate(gansu_election, NominationSource.GROUP, name="江兆", group_name="第二居民小组")
    assert gansu_election.nominations.filter(source=NominationSource.GROUP).count() == 3


def test_it_refuses_an_organisation_nomination_from_the_page_and_keeps_the_input(client, street_staff,
                                                                                  gansu_election):
    client.force_login(street_staff)
    url = f"/elections/{gansu_election.pk}/nominations/"
    assert "本次选举规则允许的提名方式：选民联名提名、户代表联名提名、居民小组提名" in client.get(url).content.decode()
    response = client.post(f"{url}add/", {"position": "member", "name": "孙沛暖", "source": "organisation"},
                           follow=True)
    body = response.content.decode()
    assert "不允许组织提名" in body and 'value="孙沛暖"' in body
    assert not gansu_election.nominations.exists()


def test_it_keeps_a_women_share_and_a_group_range_in_bounds():
    with pytest.raises(ValidationError, match="妇女代表比例须不小于0且小于1"):
        RuleSet(name="x", women_share_of_representatives=Decimal("1")).full_clean()
    with pytest.raises(ValidationError, match="每组居民代表最多人数不能少于最少人数"):
        RuleSet(name="y", representatives_per_group_min=3, representatives_per_group_max=2).full_clean()


def test_it_carries_the_clauses_in_an_archive_and_refuses_clauses_that_are_no_mapping():
    exported = export_election(election=import_election(small_archive(ballots=[], rule_set=GANSU)))
    assert exported["rules"]["clauses"]["turnout_representative"].startswith("甘肃规程第三十八条")
    broken = small_archive(ballots=[], rule_set=GANSU)
    broken["rules"] = {"clauses": ["甘肃规程"]}
    with pytest.raises(ValidationError, match="rules.clauses: 应为参数名到依据条文的对照"):
        import_election(broken)


def test_it_shows_the_clauses_in_the_admin(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="x-admin-password-1"))
    body = client.get(f"/admin/elections/ruleset/{rule_set(LANZHOU).pk}/change/").content.decode()
    assert "七里河方案五（三）10：于3日之内完成新老班子交接工作" in body
