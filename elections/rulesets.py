"""The rule sets shipped with Juwei, as data: the default of docs/domain.md (Elections: rule sets) and the
Gansu variant.

`install_rule_sets()` creates or refreshes the templates by name (idempotent); an election never
uses a template directly but a copy made when it is created (elections.services.setup.create_election).
"""

from decimal import Decimal

from django.db import transaction

from .models import AgeRule, RuleSet

DEFAULT = "默认规则（城市居民委员会组织法）"
GANSU = "甘肃省规则"

RULE_SETS: list[dict] = [
    {
        "name": DEFAULT,
        "description": (
            "依据《中华人民共和国城市居民委员会组织法》及各地换届选举总结（docs/domain.md，Elections: rule sets）："
            "选民名单于选举日20日前张榜公布，选民证于选举日2日前发放，正式候选人名单于选举日3日前公布；"
            "委托投票于选举日前登记，每人受托不超过3人；直接选举和户代表选举过半数参选有效，"
            "居民代表选举超过五分之四有效；差额不少于应选人数的20%且至少多1人；"
            "选举日年满18周岁；工作在3日内移交；票数相等3日内再次投票；另行选举30日内完成。"
        ),
        "term_years": 3,
        "roll_posted_days": 20,
        "voter_cards_days": 2,
        "candidates_posted_days": 3,
        "polling_notice_days": 3,
        "proxy_deadline_days": 1,
        "proxy_limit": 3,
        "residence_years": 1,
        "age_rule": AgeRule.ON_DAY,
        "turnout_direct": Decimal("0.5"),
        "turnout_household": Decimal("0.5"),
        "turnout_representative": Decimal("0.8"),
        "margin_percent": 20,
        "margin_min_extra": 1,
        "margin_max_extra": 0,
        "leader_margin_extra": 0,
        "joint_nomination_min": 10,
        "win_fraction": Decimal("0.5"),
        "further_round_fraction": Decimal("0.3333"),
        "further_round_turnout": Decimal("0.5"),
        "further_round_days": 30,
        "tie_revote_days": 3,
        "handover_days": 3,
        # Elections III guards (docs/domain.md, Elections: guards); the default follows the Gansu 规程 where the
        # Organic Law is silent, and flags rather than refuses where the 规程 is the only source.
        "objection_days": 5,
        "objection_decision_days": 3,
        "mobile_list_days": 2,
        "mobile_box_min_workers": 3,
        "committee_min": 7,
        "committee_max": 11,
        "committee_odd": True,
        "committee_size_binding": False,
        "household_delegate_fraction": Decimal("0.6667"),
        "candidates_refuse_proxies": False,
        "ballot_order": "strokes",
        "counting": "separate",
        "deputy_adds_director": False,
    },
    {
        "name": GANSU,
        "description": (
            "依据《甘肃省城市居民委员会换届选举指导规程（试行）》（seeds/000）：选民名单于选举日的20日前张榜公布"
            "（第十七条）；选民证于选举日的10日前发放；被委托人于选举日的3日前办理委托登记，每人受托不超过3人"
            "（第三十条）；主任、副主任候选人比应选名额多一人，委员候选人多一至三人；正式候选人于选举日的5日前"
            "张榜公布；选举日当月年满18周岁；新一届产生后10日内移交（第四十五条）；另行选举30日内完成"
            "（第四十条）；票数相等3日内再次投票。居民代表选举以参加会议的居民代表过半数为有效，依兰州市七里河区"
            "实施方案（seeds/004；规程第三十八条另定为五分之四，本规则按兰州实施方案）。异议自名单公布之日起5日内提出、"
            "3日内处理（第十七条）；选举领导小组7至11人单数（第十条），成员被提名或其近亲属为正式候选人的应当退出"
            "（第十一条）；户代表选举登记选民应达到户代表总数的三分之二以上（第十六条）；流动票箱选民名单于选举日"
            "2日前公布，每箱3名以上工作人员、至少1名选举领导小组成员（第二十七条）；正式候选人不得接受委托投票"
            "（第三十条）。候选人按提名票多少排列，票数相同按姓氏笔画（第三十一条）；分别投票计票，可改为一次性投票"
            "（第二十九条、第三十九条）；副主任得票数计入其所得主任票（工作指引）；另行选举须登记选民过半数参加投票"
            "（第四十条）。"
        ),
        "term_years": 5,
        "roll_posted_days": 20,
        "voter_cards_days": 10,
        "candidates_posted_days": 5,
        "polling_notice_days": 2,
        "proxy_deadline_days": 3,
        "proxy_limit": 3,
        "residence_years": 1,
        "age_rule": AgeRule.IN_MONTH,
        "turnout_direct": Decimal("0.5"),
        "turnout_household": Decimal("0.5"),
        "turnout_representative": Decimal("0.5"),
        "margin_percent": 0,
        "margin_min_extra": 1,
        "margin_max_extra": 3,
        "leader_margin_extra": 1,
        "joint_nomination_min": 10,
        "win_fraction": Decimal("0.5"),
        "further_round_fraction": Decimal("0.3333"),
        "further_round_turnout": Decimal("0.5"),  # 第四十条: 另行选举需登记选民过半数参加投票方为有效
        "further_round_days": 30,
        "tie_revote_days": 3,
        "handover_days": 10,
        "objection_days": 5,  # 第十七条: 自名单公布之日起5日内申诉
        "objection_decision_days": 3,  # 第十七条: 自收到申诉之日起3日内作出处理决定
        "mobile_list_days": 2,  # 第二十七条: 选举日的2日前公布参加流动票箱投票的选民名单
        "mobile_box_min_workers": 3,  # 每个票箱应当有3名以上选举工作人员负责，其中至少有1名选举领导小组成员
        "committee_min": 7,  # 第十条: 选举领导小组由7至11人单数组成
        "committee_max": 11,
        "committee_odd": True,
        "committee_size_binding": True,
        "household_delegate_fraction": Decimal("0.6667"),  # 第十六条: 登记选民应达到户代表总数的三分之二以上
        "candidates_refuse_proxies": True,  # 第三十条: 社区居民委员会正式候选人不得接受委托投票
        "ballot_order": "forms",  # 第三十一条: 候选人名单按照提名票的多少顺序排列。提名票相同的，按姓氏笔画排列
        # 第二十九条 allows both methods; an election that votes 一次性 sets `counting` on its own copy (第三十九条).
        "counting": "separate",
        # 规程所附工作指引（计票）: 副主任候选人的得票数，应当将其获得主任、副主任的票数相加，计算为得票数
        "deputy_adds_director": True,
    },
]


@transaction.atomic
def install_rule_sets() -> list[RuleSet]:
    """Create or refresh the shipped templates by name; copies held by elections are never touched."""
    installed = []
    for data in RULE_SETS:
        values = {k: v for k, v in data.items() if k != "name"}
        rule_set, _ = RuleSet.objects.update_or_create(name=data["name"], is_template=True, defaults=values)
        installed.append(rule_set)
    return installed
