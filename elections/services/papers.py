"""The papers of an election: every posted notice, the voter list, voter and proxy cards, the nomination form
and the ballot. Each is an A4 PDF in the platform's notice layout (lib.pdf)."""

import datetime
import math
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.pdf import render_pdf, render_pdf_chunks
from org.jobs import attach, report
from org.services import next_document_number

from ..models import (
    Election,
    ElectionPaper,
    Mode,
    Proxy,
    VoterRollEntry,
)
from ..strokes import ballot_key
from .nominations import formal_candidates, required_candidates
from .setup import cn_day, deadlines, today

NOTICE_TEMPLATE = "elections/pdf/notice.html"
VOTERS_TEMPLATE = "elections/pdf/voters.html"

NOTICES = {
    "announcement": gettext_lazy("选举公告"),
    "committee": gettext_lazy("选举委员会及工作人员名单公告"),
    "seats": gettext_lazy("居民委员会成员职数公告"),
    "nomination": gettext_lazy("提名候选人公告"),
    "candidates": gettext_lazy("正式候选人名单公告"),
    "voting_method": gettext_lazy("选举办法"),
    "polling": gettext_lazy("投票时间、地点公告"),
    "proxies": gettext_lazy("委托投票名单公告"),
}

# The voter list is paginated here, not by WeasyPrint: a fixed number of rows per page, so that every
# chunk knows its page numbers before it is rendered (the rows have a fixed height in the template).
ROWS_PER_PAGE = 40
PAGES_PER_CHUNK = 25


def issuer(election: Election) -> str:
    return _("%(community)s居民委员会换届选举委员会") % {"community": election.community.name}


# Papers that are posted and so carry a document number: the notices and the voter list.
NUMBERED = frozenset(NOTICES) | {"voters"}


@transaction.atomic
def issue_paper(*, election: Election, kind: str) -> ElectionPaper:
    """Give the paper its document number, once: issuing is an act (a POST), printing only reads.

    The counter is keyed by the community's code, not the issuer's name: the name is translated, and a
    paper printed from the English interface must not start a second number series."""
    if kind not in NUMBERED:
        raise ValueError(kind)
    paper = ElectionPaper.objects.select_for_update().filter(election=election, kind=kind).first()
    if paper is None:
        on = today()
        paper = ElectionPaper.objects.create(
            election=election, kind=kind, issued_on=on,
            doc_number=next_document_number(issuer=f"election:{election.community.code}", year=on.year))
    return paper


def issued_papers(election: Election) -> dict[str, ElectionPaper]:
    return {paper.kind: paper for paper in ElectionPaper.objects.filter(election=election)}


def _base(election: Election, kind: str, title: str) -> dict:
    """A paper not yet issued prints as a draft: no number, today's date."""
    paper = ElectionPaper.objects.filter(election=election, kind=kind).first()
    return {"issuer": issuer(election), "title": title, "doc_number": paper.doc_number if paper else "",
            "date": paper.issued_on if paper else today(), "election": election, "draft": paper is None}


def notice_context(election: Election, kind: str) -> dict:
    """The context of a posted notice: paragraphs and optional tables (header row first)."""
    rules, due = election.rules, deadlines(election)
    positions = list(election.positions.all())
    seats = _("、").join(_("%(title)s%(seats)s名") % {"title": p.title, "seats": p.seats} for p in positions)
    total = sum(p.seats for p in positions)
    paragraphs: list[str] = []
    tables: list[dict] = []
    if kind == "announcement":
        paragraphs = [
            _("根据《中华人民共和国城市居民委员会组织法》和%(rules)s，经研究决定，%(community)s第%(term)s届居民委员会"
              "换届选举采取%(mode)s方式，选举日定于%(day)s。") % {
                "rules": rules.name, "community": election.community.name, "term": election.term_number,
                "mode": election.get_mode_display(), "day": cn_day(election.election_day)},
            _("本届居民委员会由%(total)s人组成，其中%(seats)s。") % {"total": total, "seats": seats},
            _("选民名单于%(roll)s前张榜公布，选民证于%(cards)s前发放，正式候选人名单于%(candidates)s前公布。") % {
                "roll": cn_day(due["roll"]), "cards": cn_day(due["cards"]), "candidates": cn_day(due["candidates"])},
            _("特此公告。"),
        ]
    elif kind == "committee":
        paragraphs = [_("经推选，%(community)s居民委员会换届选举委员会由以下人员组成：") % {
            "community": election.community.name}]
        tables.append({"head": [_("职务"), _("姓名")],
                       "rows": [[m.get_role_display(), m.name] for m in election.committee_members.all()]})
        workers = list(election.workers.all())
        if workers:
            paragraphs.append(_("选举工作人员（候选人及其近亲属不得担任监票人、计票人）："))
            tables.append({"head": [_("工作"), _("姓名")],
                           "rows": [[w.get_role_display() + (_("（总监票人）") if w.is_chief else ""), w.name]
                                    for w in workers]})
    elif kind == "seats":
        paragraphs = [_("%(community)s第%(term)s届居民委员会成员职数为%(total)s名，具体如下：") % {
            "community": election.community.name, "term": election.term_number, "total": total}]
        rows = []
        for p in positions:
            least, most = required_candidates(election=election, position=p)
            rows.append([p.title, str(p.seats), f"{least}" + (f"–{most}" if most and most != least else "")])
        tables.append({"head": [_("职务"), _("应选人数"), _("正式候选人人数")], "rows": rows})
    elif kind == "nomination":
        paragraphs = [
            _("选民直接提名：每张提名票对每一职务提名人数不得多于应选人数（%(seats)s）。") % {"seats": seats},
            _("%(n)s名以上居民代表可以联名提名，组织也可以提名。") % {"n": rules.joint_nomination_min},
            _("提名结束后，按职务和得票多少顺序产生初步候选人，经资格审查后按差额原则确定正式候选人，"
              "于%(day)s前张榜公布。") % {"day": cn_day(due["candidates"])},
        ]
        tally = getattr(election, "nomination_tally", None)
        if tally:
            paragraphs.append(_("共发出提名票%(issued)s张，收回%(returned)s张，其中有效票%(valid)s张，无效票%(invalid)s张。")
                              % {"issued": tally.issued, "returned": tally.returned, "valid": tally.valid,
                                 "invalid": tally.invalid})
    elif kind == "candidates":
        paragraphs = [_("经选民提名、资格审查，按差额选举原则确定正式候选人如下（按姓氏笔画为序）：")]
        for position, candidates in formal_candidates(election).items():
            tables.append({"caption": _("%(title)s（应选%(seats)s名）") % {"title": position.title,
                                                                        "seats": position.seats},
                           "head": [_("姓名"), _("性别")],
                           # Posted lists are in surname-stroke order even where the ballot goes by forms.
                           "rows": [[c.name, c.get_gender_display()]
                                    for c in sorted(candidates, key=lambda c: ballot_key(c.name))]})
    elif kind == "voting_method":
        turnout = {Mode.DIRECT: rules.turnout_direct, Mode.HOUSEHOLD: rules.turnout_household,
                   Mode.REPRESENTATIVE: rules.turnout_representative}[election.mode]
        paragraphs = [
            _("一、本次选举采取无记名投票、公开计票的方法，实行差额选举。"),
            _("二、参加投票的人数超过登记选民的%(fraction)s，选举有效；收回的选票多于发出的选票，选举无效。") % {
                "fraction": _fraction(turnout)},
            _("三、每一职务所选人数等于或少于应选人数的有效，多于应选人数的该职务无效；可以另选他人；"
              "无法辨认的选票为无效票。"),
            _("四、候选人获得参加投票选民的过半数选票，始得当选；得票相等不能确定当选人时，%(days)s日内就票数相等的"
              "人员再次投票。") % {"days": rules.tie_revote_days},
            _("五、当选人数不足应选名额时，不足的名额另行选举，另行选举于%(days)s日内进行，得票多者当选，"
              "但所得票数不得少于选票的三分之一。") % {"days": rules.further_round_days},
            _("六、选民可以书面委托本社区其他选民代为投票，每一选民接受委托不得超过%(limit)s人，"
              "委托须在%(day)s前登记。") % {"limit": rules.proxy_limit, "day": cn_day(due["proxies"])},
        ]
    elif kind == "polling":
        paragraphs = [_("选举日为%(day)s，投票时间%(hours)s，中心会场设在%(venue)s。") % {
            "day": cn_day(election.election_day), "hours": election.voting_hours or _("另行通知"),
            "venue": election.venue or _("另行通知")}]
        boxes = list(election.boxes.all()) if hasattr(election, "boxes") else []
        if boxes:
            paragraphs.append(_("投票站和流动票箱安排如下："))
            tables.append({"head": [_("编号"), _("类别"), _("名称"), _("路线"), _("日期")], "rows": [
                [b.code, b.get_kind_display(), b.name, getattr(b, "route", ""), _box_dates(b)] for b in boxes]})
        paragraphs.append(_("请选民凭选民证按时参加投票。"))
    elif kind == "proxies":
        paragraphs = [_("以下委托投票已在选举委员会登记，受托人凭委托投票证代为投票：")]
        tables.append({"head": [_("证号"), _("委托人"), _("受托人"), _("登记日期")], "rows": [
            [str(p.serial), p.principal.resident.name, p.holder.resident.name, cn_day(p.registered_on)]
            for p in election.proxies.select_related("principal__resident", "holder__resident")]})
    else:
        raise KeyError(kind)
    return {**_base(election, kind, str(NOTICES[kind])), "paragraphs": paragraphs, "tables": tables}


def _fraction(value) -> str:
    return {"0.5": _("二分之一"), "0.8": _("五分之四")}.get(str(value.normalize()), f"{value:.0%}")


def _box_dates(box) -> str:
    starts, ends = getattr(box, "starts_on", None), getattr(box, "ends_on", None)
    if starts and ends and starts != ends:
        return f"{cn_day(starts)}—{cn_day(ends)}"
    return cn_day(starts) if starts else ""


def render_notice(election: Election, kind: str) -> bytes:
    return render_pdf(NOTICE_TEMPLATE, notice_context(election, kind))


def ballot_context(election: Election) -> dict:
    sections = [{"position": p, "candidates": cs, "write_ins": range(p.seats)}
                for p, cs in formal_candidates(election).items()]
    return {"issuer": issuer(election), "election": election, "sections": sections,
            "title": _("%(community)s第%(term)s届居民委员会成员选举选票") % {
                "community": election.community.name, "term": election.term_number}}


def render_ballot(election: Election) -> bytes:
    return render_pdf("elections/pdf/ballot.html", ballot_context(election))


def render_nomination_form(election: Election) -> bytes:
    return render_pdf("elections/pdf/nomination_form.html", {
        "issuer": issuer(election), "election": election, "positions": election.positions.all(),
        "title": _("%(community)s第%(term)s届居民委员会成员候选人提名票") % {
            "community": election.community.name, "term": election.term_number}})


def render_proxy_cards(election: Election) -> bytes:
    proxies = Proxy.objects.filter(election=election).select_related("principal__resident", "holder__resident")
    return render_pdf("elections/pdf/proxy_cards.html", {
        "issuer": issuer(election), "election": election, "proxies": proxies, "title": _("委托投票证")})


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# Widths (in characters of 1em) of the voter list's columns: serial, name, sex, age; the address takes the rest.
VOTER_COLUMNS = (5, 4, 2, 3)
VOTER_HEAD = ("选民证号", "姓名", "性别", "年龄", "住址")


def _fixed(values) -> str:
    """One voter-list line: full-width cells padded with ideographic spaces so the columns line up."""
    # A longer name pushes its line out of line rather than being cut: nothing on a posted roll is truncated.
    cells = [str(v).translate(FULL_WIDTH).ljust(w, "\u3000") for v, w in zip(values, VOTER_COLUMNS, strict=False)]
    return "\u3000".join([*cells, str(values[-1])])


def voter_rows(election: Election, group: str | None = None) -> dict[str, list[str]]:
    """The voters per group (group order, then serial), as fixed-width lines: one query."""
    groups: dict[str, list[str]] = defaultdict(list)
    day = election.election_day
    entries = VoterRollEntry.objects.filter(election=election)
    if group:
        entries = entries.filter(group_name=group)
    entries = (entries.order_by("group_name", "serial")
               .values_list("serial", "group_name", "resident__name", "resident__sex", "resident__birth_date",
                            "resident__household__address"))
    for serial, group, name, sex, birth, address in entries:
        groups[group].append(_fixed([serial, name, "男" if sex == "M" else "女", _age(birth, day), address or ""]))
    return groups


def voter_list_contexts(election: Election, group: str | None = None) -> list[dict]:
    """The voter list (of one group, for its own wall, or of all) as chunk contexts: page 1 is the notice with
    the per-group counts, then the groups' pages."""
    groups = voter_rows(election, group)
    pages = [{"group": g, "lines": "\n".join(rows[i:i + ROWS_PER_PAGE]), "continued": i > 0}
             for g, rows in groups.items() for i in range(0, len(rows), ROWS_PER_PAGE)]
    total_pages = len(pages) + 1
    for number, page in enumerate(pages, start=2):
        page["number"] = number
    base = {**_base(election, "voters", _("选民名单公告")), "head": _fixed(VOTER_HEAD)}
    base["date"] = election.roll_posted_on or base["date"]
    counts = [[g, str(len(rows))] for g, rows in groups.items()]
    first = {**base, "first": True, "counts": counts, "registered": sum(len(r) for r in groups.values()),
             "group": group, "total_pages": total_pages, "pages": [], "day": cn_day(election.election_day)}
    contexts = [first]
    for start in range(0, len(pages), PAGES_PER_CHUNK):
        contexts.append({**base, "first": False, "pages": pages[start:start + PAGES_PER_CHUNK],
                         "total_pages": total_pages})
    # The notice page is small: render it with the first chunk of rows to save one document's fixed cost.
    if len(contexts) > 1:
        contexts[1] = {**first, "pages": contexts[1]["pages"]}
        contexts.pop(0)
    for c in contexts:
        c.pop("election", None)
    return contexts


def render_voter_list(election: Election, progress=None, group: str | None = None) -> bytes:
    return render_pdf_chunks(VOTERS_TEMPLATE, voter_list_contexts(election, group), progress=progress)


def voter_list_job(*, job, election_id: int, group: str = "") -> None:
    """Background job: render the voter list and attach it (org.jobs)."""
    election = Election.objects.select_related("community", "rules").get(pk=election_id)
    total = max(1, math.ceil(election.roll.count() / (ROWS_PER_PAGE * PAGES_PER_CHUNK)))
    report(job, done=0, total=total, message=_("正在生成选民名单"))
    content = render_voter_list(election, progress=lambda done, n: report(job, done=done, total=n),
                                group=group or None)
    attach(job, name=f"voters-{election.pk}.pdf", content=content)
    report(job, done=total, total=total, message=_("选民名单已生成"))


def voter_cards_contexts(election: Election) -> list[dict]:
    entries = list(VoterRollEntry.objects.filter(election=election).order_by("serial")
                   .values_list("serial", "group_name", "resident__name"))
    per_chunk = 8 * PAGES_PER_CHUNK
    base = {"issuer": issuer(election), "title": _("选民证"), "election_name": election.name,
            "day": cn_day(election.election_day), "venue": election.venue}
    return [{**base, "cards": entries[i:i + per_chunk]} for i in range(0, max(len(entries), 1), per_chunk)]


def voter_cards_job(*, job, election_id: int) -> None:
    """Background job: every voter's card (选民证) with its serial number, eight to a page."""
    election = Election.objects.select_related("community").get(pk=election_id)
    contexts = voter_cards_contexts(election)
    content = render_pdf_chunks("elections/pdf/voter_cards.html", contexts,
                                progress=lambda done, n: report(job, done=done, total=n))
    attach(job, name=f"voter-cards-{election.pk}.pdf", content=content)

