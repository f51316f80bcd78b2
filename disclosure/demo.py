"""Demo data for `loaddemo`: the first community's supervision group (jiandu its leader), a few months of
published items, one awaiting signature, a draft and feedback; at street size six years of items for every
community, bulk-inserted. A community that already has items is left alone, so running it twice adds nothing."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from committee.models import Term
from org.models import Community
from residents.models import Label, Resident

from . import services
from .models import Category, Feedback, Item, Status, SupervisionGroup, SupervisionMember

YEARS = 6


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _accounts(rng: random.Random, start: datetime.date) -> str:
    lines = [("上级拨付办公经费", rng.randint(8, 12) * 1000, 0), ("公益事业专项资金", rng.randint(2, 6) * 1000, 0),
             ("办公用品", 0, rng.randint(300, 900)), ("环境整治", 0, rng.randint(1000, 4000)),
             ("走访慰问困难户", 0, rng.randint(500, 3000)), ("水电费", 0, rng.randint(400, 800))]
    rows = "".join(f"<tr><td>{name}</td><td>{income or ''}</td><td>{spent or ''}</td></tr>"
                   for name, income, spent in lines)
    income, spent = sum(x[1] for x in lines), sum(x[2] for x in lines)
    return (f"<p>{start.year}年{start.month}月社区经费收支情况如下：</p><table><thead><tr><th>摘要</th>"
            f"<th>收入（元）</th><th>支出（元）</th></tr></thead><tbody>{rows}</tbody><tfoot><tr><th>合计</th>"
            f"<td>{income}</td><td>{spent}</td></tr></tfoot></table>")


def _assistance(names: list[str], start: datetime.date) -> str:
    rows = "".join(f"<tr><td>{name}</td><td>低保</td></tr>" for name in names) or "<tr><td colspan=\"2\">无</td></tr>"
    return (f"<p>{start.year}年{start.month}月享受最低生活保障及困难救助的对象（条件：家庭人均收入低于当地低保标准，"
            f"经本人申请、居委会调查、民主评议、街道审核、区民政局审批）：</p>"
            f"<table><thead><tr><th>姓名</th><th>类别</th></tr></thead><tbody>{rows}</tbody></table>")


def _published(community, category, title, start, end, body, board_day, leader):
    return Item(community=community, category=category, title=title, period_start=start, period_end=end, body=body,
                status=Status.PUBLISHED, signed_by=leader, signature_name=leader.get_full_name() or "监督小组组长",
                signed_at=_at(board_day - datetime.timedelta(days=3)), scheduled_for=board_day,
                published_at=_at(board_day), archive_year=services.archive_year(published_on=board_day, period_end=end),
                submitted_at=_at(board_day - datetime.timedelta(days=5)),
                created_at=_at(board_day - datetime.timedelta(days=6)))


def _history(community, *, months: int, leader, today: datetime.date, rng: random.Random) -> list[Item]:
    """Monthly, quarterly and yearly items for the `months` boards before this one."""
    names = list(Resident.objects.filter(community=community, labels__label=Label.MINIMUM_INCOME)
                 .values_list("name", flat=True)[:6])
    this_month = today.replace(day=1)
    items = []
    for back in range(months, 0, -1):
        board = services.add_months(this_month, -back + (1 if today.day >= services.PUBLICATION_DAY else 0))
        board_day = board.replace(day=services.PUBLICATION_DAY)
        if board_day > today:
            continue
        start = services.add_months(board, -1)
        end = services.month_end(start)
        items.append(_published(community, Category.FINANCES, f"{start.year}年{start.month}月社区经费收支公开",
                                start, end, _accounts(rng, start), board_day, leader))
        items.append(_published(community, Category.ASSISTANCE, f"{start.year}年{start.month}月低保及困难救助对象公示",
                                start, end, _assistance(names, start), board_day, leader))
        if board.month in (1, 4, 7, 10):
            q_start = services.add_months(board, -3)
            quarter = (q_start.month + 2) // 3
            items.append(_published(
                community, Category.MEETING_DECISIONS, f"{q_start.year}年第{quarter}季度居民会议决定及落实情况",
                q_start, end, "<p>一、车棚修缮：已完成。</p><p>二、楼道堆物清理：已完成，长效管理中。</p>",
                board_day, leader))
        if board.month == 1:
            year = board.year - 1
            y_start, y_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            for category, title, body in (
                (Category.ANNUAL_GOALS, f"{year}年度工作目标及完成情况", "<p>全年目标12项，完成12项。</p>"),
                (Category.SERVICES, f"{year}年度出具证明、服务项目及接待时间",
                 "<p>接待时间：周一至周五 8:30—17:00。出具居住证明、困难证明等。</p>"),
                (Category.FAMILY_PLANNING, f"{year}年度计划生育目标", "<p>完成上级下达的各项目标。</p>"),
                (Category.SUPERVISION_REPORT, f"{year}年度居务监督小组工作报告",
                 "<p>全年审核公开事项并签字，收集居民意见，均已答复。</p>"),
            ):
                items.append(_published(community, category, title, y_start, y_end, body, board_day, leader))
    return items


def _supervision_group(community, leader_user) -> None:
    term = Term.objects.filter(community=community).order_by("-number").first()
    if term is None or SupervisionGroup.objects.filter(term=term).exists():
        return
    candidates = []
    for resident in Resident.objects.filter(community=community, living="living").order_by("id")[:60]:
        if services.refusal_reason(resident=resident, term=term) is None and resident.household_id not in {
                c.household_id for c in candidates}:
            candidates.append(resident)
        if len(candidates) == 5:
            break
    if len(candidates) < 5:
        return
    group = SupervisionGroup.objects.create(community=community, term=term, elected_on=term.starts)
    SupervisionMember.objects.bulk_create([
        SupervisionMember(group=group, resident=r, name=r.name, is_leader=(i == 0),
                          user=leader_user if i == 0 else None) for i, r in enumerate(candidates)])


def load(*, street, size: str) -> None:
    today = timezone.localdate()
    leader = get_user_model().objects.filter(username="jiandu").first()
    committee_user = get_user_model().objects.filter(username="juwei").first()
    if leader is None:
        return
    communities = list(Community.objects.filter(street=street).order_by("code"))
    first = next((c for c in communities if c.code == "HBA"), communities[0] if communities else None)
    if first is None:
        return
    _supervision_group(first, leader)
    done = set(Item.objects.filter(community__in=communities).values_list("community_id", flat=True).distinct())
    rng = random.Random(7)
    items = []
    for community in communities:
        if community.pk in done:
            continue
        if size == "street":
            items += _history(community, months=YEARS * 12, leader=leader, today=today, rng=rng)
        elif community == first:
            items += _history(community, months=4, leader=leader, today=today, rng=rng)
    Item.objects.bulk_create(items, batch_size=1000)
    if first.pk not in done:
        _work_in_progress(first, leader=leader, committee_user=committee_user, today=today, rng=rng)


def _work_in_progress(community, *, leader, committee_user, today, rng) -> None:
    """An item awaiting the leader's signature, a draft, and feedback on a published item."""
    if today.day < services.PUBLICATION_DAY:
        # Last month's items, for the board of the 10th.
        start = services.add_months(today.replace(day=1), -1)
        end = services.month_end(start)
        waiting = services.create_item(community=community, category=Category.FINANCES,
                                       title=f"{start.year}年{start.month}月社区经费收支公开", period_start=start,
                                       period_end=end, body=_accounts(rng, start), user=committee_user)
        services.create_item(community=community, category=Category.ASSISTANCE,
                             title=f"{start.year}年{start.month}月低保及困难救助对象公示", period_start=start,
                             period_end=end, body=_assistance([], start), user=committee_user)
    else:
        # Last month's items went up on the 10th and this month's are drafted once it is over: what is in
        # hand is what residents asked for, dated the day it is answered.
        waiting = services.create_item(community=community, category=Category.ON_REQUEST,
                                       title="小区停车收费标准及收支情况", period_start=today, period_end=today,
                                       body=_accounts(rng, today.replace(day=1)), user=committee_user)
        services.create_item(community=community, category=Category.ON_REQUEST, title="办公用房维修费用明细",
                             period_start=today, period_end=today, body="维修费用明细待街道审核后补充。",
                             user=committee_user)
    services.submit_item(item=waiting, user=committee_user)
    latest = Item.objects.filter(community=community, status=Status.PUBLISHED,
                                 category=Category.FINANCES).order_by("-published_at").first()
    if latest is None:
        return
    Feedback.objects.create(item=latest, text="环境整治支出较多，能否说明具体用在哪些楼栋？",
                            answer="主要用于3幢、5幢楼道粉刷及绿化补种，票据可到居委会查阅。",
                            answered_by=committee_user, answered_at=timezone.now())
    Feedback.objects.create(item=latest, name="老王", text="走访慰问困难户的名单是否可以公开？")
