"""The rule sets shipped with Juwei, as data, each parameter with the clause it comes from
(docs/domain.md, Elections: rule sets): the default, Gansu (the province's 规程), Jiangxi (the Nanchang plan) and
Lanzhou 七里河 (the district's plan).

A set is written as `field=(value, clause)`; what its source does not say takes the default's value with the
clause "…未规定，取默认值". `install_rule_sets()` creates or refreshes the templates by name (idempotent); an
election never uses a template directly but a copy made when it is created (elections.services.setup.create_election).
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import AgeRule, BallotOrder, Counting, RuleSet
from .services.tally import as_fraction

# The names are data (an archive names its set in Chinese) and also catalogue entries for the English pages.
DEFAULT = gettext_noop("默认规则（城市居民委员会组织法）")
GANSU = gettext_noop("甘肃省规则")
JIANGXI = gettext_noop("江西省规则（南昌高新区实施意见）")
LANZHOU = gettext_noop("兰州市七里河区规则")

HALF, THIRD, FOUR_FIFTHS, TWO_THIRDS = Decimal("0.5"), Decimal("0.3333"), Decimal("0.8"), Decimal("0.6667")

# The default: the Organic Law and the committees' own reports as docs/domain.md states them; where the law is
# silent on a guard, the Gansu 规程 (and the default flags rather than refuses where the 规程 is the only source).
DEFAULT_PARAMETERS: dict[str, tuple] = {
    "term_years": (3, "通行做法：新一届居委会制定三年任期目标（各地换届总结）"),
    "roll_posted_days": (20, "通行做法：选民名单于选举日20日前张榜公布"),
    "voter_cards_days": (2, "通行做法：选民证于选举日2日前发放"),
    "candidates_posted_days": (3, "通行做法：正式候选人名单于选举日3日前张榜公布（后北岸社区：选举日3天前张榜公布）"),
    "polling_notice_days": (3, "通行做法：选举日3日前公告投票时间、地点"),
    "proxy_deadline_days": (1, "通行做法：委托投票于选举日前登记，禁止投票现场临时委托"),
    "proxy_limit": (3, "通行做法：每一选民接受委托不超过3人"),
    "residence_years": (1, "通行做法：户籍不在本社区、居住一年以上本人申请的，可以登记"),
    "age_rule": (AgeRule.ON_DAY, "组织法：年满十八周岁（以选举日计）"),
    "turnout_direct": (HALF, "通行做法：直接选举过半数选民参加投票有效"),
    "turnout_household": (HALF, "通行做法：户代表选举过半数户代表参加投票有效"),
    "turnout_representative": (FOUR_FIFTHS, "通行做法：居民代表选举超过居民代表总数的五分之四参加有效"),
    "margin_percent": (20, "通行做法：候选人比应选人数多20%以上"),
    "margin_min_extra": (1, "通行做法：候选人至少比应选人数多1人"),
    "margin_max_extra": (0, "通行做法：差额不设上限"),
    "leader_margin_extra": (0, "通行做法：主任、副主任按通用差额规则"),
    "joint_nomination_min": (10, "通行做法：10名以上选民（居民代表）联名提名"),
    "household_nomination_min": (0, "通行做法未列户代表联名提名"),
    "group_nomination": (False, "通行做法未列居民小组提名"),
    "organisation_nomination": (True, "通行做法：组织可以提名"),
    "self_nomination": (False, "通行做法未列本人自荐"),
    "win_fraction": (HALF, "通行做法：获得参加投票的选民过半数选票始得当选"),
    "further_round_fraction": (THIRD, "通行做法：另行选举以得票多者当选，但不少于选票的三分之一"),
    "further_round_days": (30, "通行做法：另行选举于30日内完成"),
    "further_round_turnout": (HALF, "通行做法：另行选举须登记选民过半数参加投票"),
    "tie_revote_days": (3, "通行做法：票数相等的，3日内就票数相等的人再次投票"),
    "handover_days": (3, "通行做法：新一届产生后3日内移交"),
    "objection_days": (5, "组织法未规定，取甘肃规程第十七条：自名单公布之日起5日内申诉"),
    "objection_decision_days": (3, "组织法未规定，取甘肃规程第十七条：自收到申诉之日起3日内作出处理决定"),
    "mobile_list_days": (2, "组织法未规定，取甘肃规程第二十七条：选举日的2日前公布流动票箱选民名单"),
    "mobile_box_min_workers": (3, "组织法未规定，取甘肃规程第二十七条：每个票箱3名以上选举工作人员，"
                                  "至少1名选举领导小组成员"),
    "committee_min": (7, "组织法未规定，取甘肃规程第十条：选举领导小组由7至11人单数组成"),
    "committee_max": (11, "组织法未规定，取甘肃规程第十条：选举领导小组由7至11人单数组成"),
    "committee_odd": (True, "组织法未规定，取甘肃规程第十条：单数组成"),
    "committee_size_binding": (False, "规程之外无此规定：人数不符只记录在案，不拒绝"),
    "household_delegate_fraction": (TWO_THIRDS, "组织法未规定，取甘肃规程第十六条：登记选民应达到户代表总数的"
                                                "三分之二以上"),
    "candidates_refuse_proxies": (False, "规程之外无此规定：候选人受托只记录在案，不拒绝"),
    "ballot_order": (BallotOrder.STROKES, "通行做法：选票上候选人按姓氏笔画排列"),
    "counting": (Counting.SEPARATE, "通行做法：主任、副主任、委员分别投票、分别计票"),
    "deputy_adds_director": (False, "通行做法：各职务分别计票，副主任票不含主任票"),
    "seats_min": (5, "通行做法：居委会由主任、副主任和委员共5至9人组成"),
    "seats_max": (9, "通行做法：居委会由主任、副主任和委员共5至9人组成"),
    "seats_odd": (True, "通行做法：居委会成员人数为单数（双数只作提示）"),
    "representatives_per_group_min": (2, "组织法第九条：每个居民小组选举代表二至三人"),
    "representatives_per_group_max": (3, "组织法第九条：每个居民小组选举代表二至三人"),
    # The registry checks the share at 1/3 before any election exists (residents/services/representatives.py);
    # the default set must say the same, or a community's first election would switch the check off.
    "women_share_of_representatives": (THIRD, "组织法未规定，取甘肃规程第十八条："
                                              "妇女代表应不少于居民代表总数的三分之一"),
    "extension_months_max": (6, "组织法未规定，取甘肃规程第三条：延期换届选举的时间应不超过半年"),
}


def _rule_set(name: str, description: str, source: str, **given: tuple) -> dict:
    """A shipped set: the given (value, clause) pairs, and the default's value for everything its source leaves
    unsaid, with a clause that says so."""
    unknown = set(given) - set(DEFAULT_PARAMETERS)
    if unknown:
        raise ValueError(f"not a rule-set parameter: {sorted(unknown)}")
    data: dict = {"name": name, "description": description, "clauses": {}}
    for field, (value, clause) in DEFAULT_PARAMETERS.items():
        if source and field not in given:
            clause = f"{source}未规定，取默认值"
        value, clause = given.get(field, (value, clause))
        data[field], data["clauses"][field] = value, clause
    return data


GANSU_CODE = "甘肃规程"
JIANGXI_CODE = "南昌方案"
LANZHOU_CODE = "七里河方案"

RULE_SETS: list[dict] = [
    _rule_set(DEFAULT, (
        "依据《中华人民共和国城市居民委员会组织法》及各地换届选举总结的通行做法；组织法未规定的选举保障"
        "（异议期限、流动票箱、选举委员会人数、户代表登记比例、延期换届）取甘肃规程的规定，"
        "且人数不符、候选人受托只记录在案，不拒绝。各项依据见逐项说明。"
    ), ""),
    _rule_set(GANSU, (
        "依据《甘肃省城市居民委员会换届选举指导规程（试行）》及其所附工作指引（嘉峪关市实施方案附件1）。"
        "规程未规定的事项取默认值。各项依据见逐项说明。"
    ), GANSU_CODE,
        term_years=(5, "甘肃规程第三条：社区居民委员会每届任期五年"),
        roll_posted_days=(20, "甘肃规程第十七条：选民名单应当在选举日前20日张榜公布"),
        voter_cards_days=(10, "甘肃规程工作指引（二）7：在选举日的10日前……发放选民证"),
        candidates_posted_days=(3, "甘肃规程第二十三条（残文）只说公布后“在5日内举行选举”，未规定最早提前天数，"
                                   "取默认值"),
        polling_notice_days=(3, "甘肃规程第二十九条：在正式投票选举之前公布时间、地点，未规定天数，取默认值"),
        proxy_deadline_days=(3, "甘肃规程第三十条：被委托人应当于选举日的3日前办理委托登记"),
        proxy_limit=(3, "甘肃规程第三十条：每一登记参加选举的选民接受委托投票不得超过3人"),
        residence_years=(1, "甘肃规程第十五条（三）：户籍不在本社区，但在本社区居住一年以上，本人申请"),
        age_rule=(AgeRule.ON_DAY, "甘肃规程第二条：年满18周岁（未规定按选举日当月计，取默认值：以选举日计）"),
        turnout_direct=(HALF, "甘肃规程第三十八条：直接选举参加投票的选民超过登记选民半数，选举有效"),
        turnout_household=(HALF, "甘肃规程第三十八条：户代表选举参加投票的超过半数，选举有效"),
        turnout_representative=(FOUR_FIFTHS, "甘肃规程第三十八条：居民代表选举超过居民代表总数的五分之四，选举有效"),
        margin_percent=(0, "甘肃规程第二条（四）、第二十二条：按人数差额，不按比例"),
        margin_min_extra=(1, "甘肃规程第二条（四）：委员候选人名额应当比应选名额多一至三人"),
        margin_max_extra=(3, "甘肃规程第二条（四）：委员候选人名额应当比应选名额多一至三人"),
        leader_margin_extra=(1, "甘肃规程第二条（四）：主任、副主任候选人名额应当比应选名额多一人"),
        joint_nomination_min=(10, "甘肃规程第二十一条：依法享有选举权的居民10人以上……联合提名"),
        household_nomination_min=(5, "甘肃规程第二十一条：户代表5人以上联合提名"),
        group_nomination=(True, "甘肃规程第二十一条：居民小组提名，每个居民小组所提候选人数不得超过应选人数"),
        organisation_nomination=(False, "甘肃规程第二十一条只列选民联名、户代表联名和居民小组提名，无组织提名"),
        self_nomination=(False, "甘肃规程第二十一条未列本人自荐"),
        win_fraction=(HALF, "甘肃规程第三十八条：获得参加投票的选民过半数赞成票，始得当选"),
        further_round_fraction=(THIRD, "甘肃规程第四十条：所得赞成票数不得少于已投选票总数的三分之一"),
        further_round_days=(30, "甘肃规程第四十条：另行选举应当在前一次投票产生选举结果之日起30日内完成"),
        further_round_turnout=(HALF, "甘肃规程第四十条：另行选举需登记选民过半数参加投票方为有效"),
        tie_revote_days=(3, "甘肃规程工作指引（五）11：应当在3日内就票数相等的人员再次进行投票"),
        handover_days=(10, "甘肃规程第四十五条：上一届社区居民委员会应当在10日内……移交"),
        objection_days=(5, "甘肃规程第十七条：自名单公布之日起5日内……申诉"),
        objection_decision_days=(3, "甘肃规程第十七条：自收到申诉之日起3日内作出处理决定"),
        mobile_list_days=(2, "甘肃规程第二十七条：于选举日的2日前公布参加流动票箱投票的选民名单"),
        mobile_box_min_workers=(3, "甘肃规程第二十七条：每个票箱应当有3名以上选举工作人员负责，"
                                   "其中至少有1名选举领导小组成员"),
        committee_min=(7, "甘肃规程第十条：选举领导小组由7至11人单数组成"),
        committee_max=(11, "甘肃规程第十条：选举领导小组由7至11人单数组成"),
        committee_odd=(True, "甘肃规程第十条：单数组成"),
        committee_size_binding=(True, "甘肃规程第十条：由7至11人单数组成（人数不符的，拒绝）"),
        household_delegate_fraction=(TWO_THIRDS, "甘肃规程第十六条：登记选民应达到户代表总数的三分之二以上"),
        candidates_refuse_proxies=(True, "甘肃规程第三十条：社区居民委员会正式候选人不得接受委托投票"),
        ballot_order=(BallotOrder.FORMS, "甘肃规程第三十一条：候选人名单按照提名票的多少顺序排列。"
                                         "提名票相同的，按姓氏笔画排列"),
        counting=(Counting.SEPARATE, "甘肃规程第二十九条：可以一次性投票，也可以分别投票（默认分别投票，"
                                     "一次性投票的在本次选举的规则中改为一次性，第三十九条）"),
        deputy_adds_director=(True, "甘肃规程工作指引（五）11：副主任候选人的得票数，应当将其获得主任、"
                                    "副主任的票数相加"),
        seats_min=(5, "甘肃规程第三条：由主任、副主任和委员共5至9人组成"),
        seats_max=(9, "甘肃规程第三条：由主任、副主任和委员共5至9人组成"),
        women_share_of_representatives=(THIRD, "甘肃规程第十八条：妇女代表应不少于居民代表总数的三分之一"),
        extension_months_max=(6, "甘肃规程第三条：延期换届选举的时间应不超过半年"),
    ),
    _rule_set(JIANGXI, (
        "依据南昌高新区第六届村（居）委会选举工作实施意见（江西省实施居委会组织法办法）。意见对居委会候选人"
        "只说按实施办法第九、十条产生，条文未载，候选人的提名、差额和公布取默认值；其余未规定的事项亦取默认值。"
        "各项依据见逐项说明。"
    ), JIANGXI_CODE,
        term_years=(3, "南昌方案二（三）：指导各村（居）拟定三年任期目标"),
        roll_posted_days=(20, "南昌方案二（二）1：选民名单应当在选举日的20日前张榜公布"),
        candidates_posted_days=(3, "南昌方案二（二）2：选举日5日前公布只对村委会候选人；居委会候选人按江西实施办法"
                                   "第九、十条产生（未载），取默认值"),
        polling_notice_days=(2, "南昌方案二（二）3：投票选举的时间、地点应当在选举日的2日前予以公告"),
        proxy_deadline_days=(1, "南昌方案二（二）3：禁止投票现场临时委托；登记期限未规定，取默认值"),
        residence_years=(1, "南昌方案二（二）1：户籍不在本村（居），但在本村（居）居住1年以上……本人要求"),
        age_rule=(AgeRule.IN_MONTH, "南昌方案二（二）1：选举日当月年满18周岁以上"),
        handover_days=(10, "南昌方案二（三）：应在新一届村（居）委会产生之日起10日内……移交"),
        seats_min=(5, "南昌方案四：每个社区居委会设主任1名、副主任1―2名、委员3―7名"),
        seats_max=(11, "南昌方案四：主任1名、副主任1―2名（户数多的可增设1名副主任）、委员3―7名"),
    ),
    _rule_set(LANZHOU, (
        "依据兰州市七里河区某街道社区党组织和居民委员会换届选举工作的实施方案（2010年，居民代表选举）。"
        "方案未规定的事项取默认值。各项依据见逐项说明。"
    ), LANZHOU_CODE,
        candidates_posted_days=(5, "七里河方案五（二）6：正式候选人名单必须于选举日前5日公布"),
        residence_years=(0, "七里河方案五（二）4：居住在本社区年满18周岁的居民，不分……居住期限，都有选举权"),
        age_rule=(AgeRule.ON_DAY, "七里河方案五（二）4：居住在本社区年满18周岁的居民"),
        turnout_representative=(HALF, "七里河方案五（二）8：参加会议的社区居民代表过半数以上选举有效"),
        margin_percent=(20, "七里河方案五（二）6：按照候选人差额为应选人数20%的比例确定候选人预备人选"),
        joint_nomination_min=(10, "七里河方案五（二）6：选民10人以上联合提名"),
        household_nomination_min=(5, "七里河方案五（二）6：户代表5人以上联合提名"),
        group_nomination=(True, "七里河方案五（二）6：居民小组提名（每组人数未规定，取默认：不超过应选人数）"),
        organisation_nomination=(True, "七里河方案五（二）6：由选举领导小组民主确定后向社区居民公布"),
        win_fraction=(HALF, "七里河方案五（二）8：候选人必须获得出席人过半数选票才能当选"),
        handover_days=(3, "七里河方案五（三）10：于3日之内完成新老班子交接工作"),
        counting=(Counting.SEPARATE, "七里河方案五（二）8：主任、副主任、委员的选举可以分别进行，也可以一次性进行"
                                     "（默认分别进行）"),
        seats_min=(5, "七里河方案三（二）：社区居民委员会由主任、副主任和委员共5—9人组成"),
        seats_max=(9, "七里河方案三（二）：社区居民委员会由主任、副主任和委员共5—9人组成"),
        seats_odd=(True, "七里河方案三（二）：委员总数必须为单数"),
        representatives_per_group_min=(2, "七里河方案五（二）5：每个社区居民小组推选2—3名"),
        representatives_per_group_max=(3, "七里河方案五（二）5：每个社区居民小组推选2—3名"),
    ),
]


@transaction.atomic
def install_rule_sets() -> list[RuleSet]:
    """Create or refresh the shipped templates by name; copies held by elections are never touched."""
    installed = []
    for data in RULE_SETS:
        values = {k: v for k, v in data.items() if k != "name"}
        rule_set, _created = RuleSet.objects.update_or_create(name=data["name"], is_template=True, defaults=values)
        installed.append(rule_set)
    return installed


# What is not a parameter of the set: its identity, its text and the clauses themselves.
NOT_PARAMETERS = {"id", "name", "description", "is_template", "copied_from", "clauses"}


def parameters(rule_set: RuleSet) -> list[dict]:
    """Each parameter of a set in the model's order with its value as a clerk reads it and the clause it comes
    from (shown on the election's page and in the admin)."""
    rows = []
    for field in RuleSet._meta.concrete_fields:
        if field.name in NOT_PARAMETERS:
            continue
        value = getattr(rule_set, field.name)
        if field.choices:
            shown = getattr(rule_set, f"get_{field.name}_display")()
        elif isinstance(value, bool):
            shown = _("是") if value else _("否")
        elif isinstance(value, Decimal):
            shown = str(as_fraction(value))
        else:
            shown = str(value)
        rows.append({"field": field.name, "label": field.verbose_name, "value": shown,
                     "clause": rule_set.clauses.get(field.name) or _("未注明依据")})
    return rows
