"""Demo data for `loaddemo`: in every community a current term of 7 members, meetings with decisions,
this month's duty roster and a few letters to the director's mailbox. Runs once per community."""

import datetime

from django.utils import timezone

from org.models import Community
from residents.models import Resident

from .models import (
    Attendee,
    AttendeeKind,
    CommitteeMember,
    Decision,
    DutySlot,
    MailboxItem,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Motion,
    SubCommittee,
    SubCommitteeMember,
    Term,
)
from .services.registers import month_days

# 后北岸社区's committee as elected in its 4th election (docs/domain.md, Elections: reference case), the
# supervision leader left out.
FIRST = ["吴逸芸", "方学全", "印彦邦", "葛鸿平", "毛若虹", "蒋惠琴", "肖桂焕"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀英", "桂兰", "志强", "丽华", "国庆", "海燕", "文明", "玉梅", "德胜", "春生", "淑珍"]
DUTIES = ["主持全面工作、财务、居务公开", "治安保卫、人民调解", "公共卫生、环境整治", "社会福利、低保、优抚",
          "计划生育、妇女儿童", "文教体育、志愿者队伍", "流动人口、出租房屋"]


def _names(index: int) -> list[str]:
    if index == 0:
        return FIRST
    return [SURNAMES[(index * 7 + i) % len(SURNAMES)] + GIVEN[(index + i * 5) % len(GIVEN)] for i in range(7)]


def _resident_named(community, name: str):
    """The one living resident of that name: the roster is linked to the registry, so the relative checks of the
    supervision group and the election see the committee's households."""
    found = list(Resident.objects.filter(community=community, name=name, living="living")[:2])
    return found[0] if len(found) == 1 else None


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load(*, street, size: str) -> None:
    today = timezone.localdate()
    communities = list(Community.objects.filter(street=street).exclude(terms__isnull=False).order_by("code"))
    if not communities:
        return
    order = {c.pk: i for i, c in enumerate(Community.objects.filter(street=street).order_by("code"))}
    order[Community.objects.filter(street=street, code="HBA").values_list("pk", flat=True).first()] = 0
    starts = datetime.date(today.year - 1, 1, 1)
    terms = Term.objects.bulk_create([Term(community=c, number=4, starts=starts) for c in communities])
    members = CommitteeMember.objects.bulk_create([
        CommitteeMember(term=term, name=name, position="director" if i == 0 else "deputy" if i == 1 else "member",
                        gender="F" if i in (0, 4, 5) else "M", duties=DUTIES[i], starts=starts,
                        resident=_resident_named(term.community, name))
        for term in terms for i, name in enumerate(_names(order.get(term.community_id, 1)))])
    by_term: dict[int, list[CommitteeMember]] = {}
    for member in members:
        by_term.setdefault(member.term_id, []).append(member)
    kinds = ["mediation", "security", "health", "welfare"]
    subcommittees = SubCommittee.objects.bulk_create([SubCommittee(term=term, kind=k) for term in terms for k in kinds])
    # The deputy chairs mediation, the next members chair the others.
    SubCommitteeMember.objects.bulk_create([
        SubCommitteeMember(subcommittee=s, name=chair.name, member=chair, is_chair=True)
        for s in subcommittees for chair in [by_term[s.term_id][1 + kinds.index(s.kind)]]])

    meetings = []
    for term in terms:
        community = term.community
        meetings += [
            Meeting(community=community, kind=MeetingKind.COMMITTEE, title="月度居委会会议",
                    agenda="一、通报上月工作\n二、车棚修缮方案",
                    place="社区会议室", starts=_at(today - datetime.timedelta(days=20), 9), status=MeetingStatus.CLOSED,
                    notified_on=today - datetime.timedelta(days=21), attendance_opened_at=timezone.now(),
                    chair=by_term[term.pk][0].name, recorder=by_term[term.pk][5].name,
                    minutes="会议通报了上月工作，讨论并通过了车棚修缮方案。",
                    minutes_recorded_on=today - datetime.timedelta(days=20)),
            Meeting(community=community, kind=MeetingKind.STAFF, title="工作例会", agenda="汇报上周工作，布置本周工作",
                    place="社区会议室", starts=_at(today - datetime.timedelta(days=today.weekday()), 8)),
            Meeting(community=community, kind=MeetingKind.RESIDENTS, composition="representatives",
                    title="居民代表会议", agenda="一、审议居委会半年工作报告\n二、社区经费收支情况",
                    place="社区活动中心", starts=_at(today + datetime.timedelta(days=6), 14)),
        ]
    Meeting.objects.bulk_create(meetings)
    held = [m for m in meetings if m.status == MeetingStatus.CLOSED]
    Attendee.objects.bulk_create([
        Attendee(meeting=m, kind=AttendeeKind.MEMBER, member=member, name=member.name, present=j != 6,
                 note=member.get_position_display())
        for m, term in zip(held, terms, strict=True) for j, member in enumerate(by_term[term.pk])])
    motions = Motion.objects.bulk_create([
        Motion(meeting=m, text="同意车棚修缮方案，费用不超过2万元", entitled=7, present=6, votes_for=6,
               result=Motion.Result.ADOPTED, voted_at=m.starts) for m in held])
    Decision.objects.bulk_create(
        [Decision(meeting=m, motion=motion, text="车棚修缮，费用不超过2万元", owner=by_term[t.pk][3].name,
                  due=today - datetime.timedelta(days=3)) for m, motion, t in zip(held, motions, terms, strict=True)]
        + [Decision(meeting=m, text="更新居务公开栏", owner=by_term[t.pk][0].name,
                    due=today - datetime.timedelta(days=10), status="done",
                    done_on=today - datetime.timedelta(days=12)) for m, t in zip(held, terms, strict=True)])
    DutySlot.objects.bulk_create([
        DutySlot(community=t.community, date=day, name=by_term[t.pk][i % 7].name, member=by_term[t.pk][i % 7])
        for t in terms for i, day in enumerate(month_days(today.year, today.month))])
    MailboxItem.objects.bulk_create([
        MailboxItem(community=t.community, channel=channel, received_on=today - datetime.timedelta(days=days),
                    sender=sender, subject=subject)
        for t in terms for channel, days, sender, subject in [
            ("mailbox", 2, "陈静", "3幢楼道路灯不亮"), ("visit", 1, "黄勇", "申请困难户春节慰问"),
            ("phone", 5, "周杰", "小区停车收费标准")]])
