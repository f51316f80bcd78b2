"""The papers of an election: every posted notice, the voter list, voter and proxy cards, the nomination form,
the candidate nomination report, the ballot (with serials and counterfoils) and the certificates of the elected.
Each is an A4 PDF in the platform's notice layout (lib.pdf)."""

import datetime
import math
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.pdf import paper, render_pdf, render_pdf_chunks
from org.jobs import attach, report, start_job
from org.models import Job
from org.services import next_document_number

from ..models import (
    Election,
    ElectionPaper,
    Mode,
    NominationSource,
    Proxy,
    SheetLayout,
    VoterRollEntry,
)
from ..strokes import ballot_key
from .dates import cn_day, deadlines, today
from .nominations import allowed_sources, formal_candidates, ranking, required_candidates
from .setup import BEFORE_VOTING, committee_in_rank
from .voting import ballots_allowed

NOTICE_TEMPLATE = "elections/pdf/notice.html"
VOTERS_TEMPLATE = "elections/pdf/voters.html"
BALLOT_TEMPLATE = "elections/pdf/ballot.html"

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


def _other_ways(election: Election) -> list[str]:
    """The nomination notice's sentence on the ways besides the forms, as the election's rule set allows them
    (Gansu lists no organisation, the default no household delegates)."""
    rules = election.rules
    voters = _("居民代表") if election.mode == Mode.REPRESENTATIVE else _("选民")
    ways = {NominationSource.JOINT: _("%(n)s名以上%(voters)s联名提名") % {
                "n": rules.joint_nomination_min, "voters": voters},
            NominationSource.HOUSEHOLDS: _("%(n)s名以上户代表联名提名") % {"n": rules.household_nomination_min},
            NominationSource.GROUP: _("居民小组提名（每组不多于应选人数）"),
            NominationSource.ORGANISATION: _("组织提名"),
            NominationSource.SELF: _("本人自荐")}
    allowed = [ways[source] for source in allowed_sources(rules)]
    return [_("此外可以%(ways)s。") % {"ways": "、".join(allowed)}] if allowed else []


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
                       "rows": [[m.get_role_display(), m.name] for m in committee_in_rank(election)]})
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
            *_other_ways(election),
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


# One colour per post when each post has its own sheet (甘肃规程工作指引: 分别印制在不同颜色的纸上): a light tint
# for the sheet and a band that names the colour, since a grey photocopy loses the tint but keeps the word.
POST_COLOURS = (
    ("#f9d5d5", gettext_lazy("红色")),
    ("#fbeab0", gettext_lazy("黄色")),
    ("#cfe6f7", gettext_lazy("蓝色")),
    ("#d4efd2", gettext_lazy("绿色")),
    ("#e6dcf2", gettext_lazy("紫色")),
)
# Numbered ballots are rendered this many to a chunk (render_pdf_chunks), as the voter cards are.
BALLOTS_PER_CHUNK = 100


def ballot_sheets(election: Election) -> list[dict]:
    """The sheets of one ballot, as plain data (picklable for render_pdf_chunks): every post on one sheet, or
    one sheet per post with its colour, as the election committee chose (`Election.ballot_layout`)."""
    sections = [{"title": p.title, "seats": p.seats, "candidates": [c.name for c in cs], "write_ins": range(p.seats)}
                for p, cs in formal_candidates(election).items()]
    if election.ballot_layout != SheetLayout.PER_POST:
        return [{"sections": sections}]
    return [{"sections": [section], "tint": POST_COLOURS[i % len(POST_COLOURS)][0],
             "band": _("%(title)s选票（%(colour)s）") % {"title": section["title"],
                                                      "colour": POST_COLOURS[i % len(POST_COLOURS)][1]}}
            for i, section in enumerate(sections)]


def ballot_context(election: Election, serials=None) -> dict:
    """The ballot: a specimen (样张, no serial) or, with `serials`, one numbered ballot per serial, each of
    its sheets (and their counterfoils) carrying the same number."""
    sheets = ballot_sheets(election)
    numbered = election.ballot_serials and serials is not None
    return {"issuer": issuer(election), "day": election.election_day, "election_name": election.name,
            "ballots": [{"serial": f"{serial:06d}" if numbered else "", "sheets": sheets}
                        for serial in (serials if numbered else [None])],
            "serials": election.ballot_serials, "counterfoil": election.ballot_counterfoil,
            "title": _("%(community)s第%(term)s届居民委员会成员选举选票") % {
                "community": election.community.name, "term": election.term_number}}


def render_ballot(election: Election, serials=None) -> bytes:
    return render_pdf(BALLOT_TEMPLATE, ballot_context(election, serials))


@transaction.atomic
def set_ballot_paper(*, election: Election, serials: bool, counterfoil: bool, layout: str) -> Election:
    """The election committee's choice of ballot paper, before voting: serial numbers, a counterfoil (存根) with
    the same number, one sheet or one coloured sheet per post."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status not in BEFORE_VOTING:
        raise ValidationError(_("投票开始后不能再更改选票印制方式"))
    if counterfoil and not serials:
        raise ValidationError(_("存根凭编号与选票核对：带存根的选票须印编号"))
    if layout not in SheetLayout.values:
        raise ValidationError(_("没有这种选票印制方式"))
    election.ballot_serials, election.ballot_counterfoil, election.ballot_layout = serials, counterfoil, layout
    election.save(update_fields=["ballot_serials", "ballot_counterfoil", "ballot_layout"])
    return election


def numbered_ballot_contexts(election: Election) -> list[dict]:
    """The numbered ballots 1..N for the N ballots that may be issued (registered voters and spare ballots,
    voting.ballots_allowed), BALLOTS_PER_CHUNK to a context; refused without serials or without voters."""
    if not election.ballot_serials:
        raise ValidationError(_("本次选举的选票不印编号：请打印选票样张复印"))
    total = ballots_allowed(election)
    if total < 1:
        raise ValidationError(_("还没有登记选民，无法确定选票张数"))
    base = ballot_context(election)
    sheets = base["ballots"][0]["sheets"]
    return [base | {"ballots": [{"serial": f"{serial:06d}", "sheets": sheets}
                                for serial in range(start, min(start + BALLOTS_PER_CHUNK, total + 1))]}
            for start in range(1, total + 1, BALLOTS_PER_CHUNK)]


def start_numbered_ballots(*, election: Election, user, next_url: str) -> Job:
    """Start the background job that renders the numbered ballots, refused at once if they cannot be numbered."""
    numbered_ballot_contexts(election)
    return start_job(user=user, title=_("编号选票：%(name)s（%(n)s张）") % {
        "name": election.name, "n": ballots_allowed(election)},
        func=NUMBERED_BALLOTS_JOB, params={"election_id": election.pk},
        community=election.community, next_url=next_url)


@paper
def numbered_ballots_job(*, job, election_id: int) -> None:
    """Background job: the numbered ballots 1..N with their counterfoils, for the printer."""
    election = Election.objects.select_related("community", "rules").get(pk=election_id)
    contexts = numbered_ballot_contexts(election)
    report(job, done=0, total=len(contexts), message=_("正在生成编号选票"))
    content = render_pdf_chunks(BALLOT_TEMPLATE, contexts, progress=lambda done, n: report(job, done=done, total=n))
    attach(job, name=f"ballots-{election.pk}.pdf", content=content)
    report(job, done=len(contexts), total=len(contexts), message=_("编号选票已生成"))


# The names org.jobs runs these jobs by (Job.func), derived so that a rename cannot leave a stale string.
NUMBERED_BALLOTS_JOB = f"{numbered_ballots_job.__module__}.{numbered_ballots_job.__name__}"


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


@paper
def voter_list_job(*, job, election_id: int, group: str = "") -> None:
    """Background job: render the voter list and attach it (org.jobs)."""
    election = Election.objects.select_related("community", "rules").get(pk=election_id)
    total = max(1, math.ceil(election.roll.count() / (ROWS_PER_PAGE * PAGES_PER_CHUNK)))
    report(job, done=0, total=total, message=_("正在生成选民名单"))
    content = render_voter_list(election, progress=lambda done, n: report(job, done=done, total=n),
                                group=group or None)
    attach(job, name=f"voters-{election.pk}.pdf", content=content)
    report(job, done=total, total=total, message=_("选民名单已生成"))


VOTER_LIST_JOB = f"{voter_list_job.__module__}.{voter_list_job.__name__}"


VOTER_CARDS_TEMPLATE = "elections/pdf/voter_cards.html"
VOTER_CARD_FRAMES_TEMPLATE = "elections/pdf/voter_card_frames.html"
CARDS_PER_PAGE = 8
# Pages of cards per chunk: the cards' text layer is light, so a chunk can be long; fewer chunks embed the
# fonts fewer times (bench/voter_cards.py: 10,000 cards).
CARD_PAGES_PER_CHUNK = 50
# A card's line of at most this many characters fits its 72 mm even if every character is a full-width one
# at the serial's 11 pt: two such cards side by side share one text block, split by a tab.
CARD_LINE_CHARS = 18


def _card_blocks(cards: list[tuple[int, str, str]]) -> list[dict]:
    """One page's text blocks: a row of two cards as one block (WeasyPrint's time goes by the box, so this halves
    it), each card of a row with a longer line as a block of its own that wraps inside the card."""
    texts = [[f"{_('编号：')}{serial}", f"{_('姓名：')}{name}", f"{_('居民小组：')}{group}"]
             for serial, group, name in cards]
    blocks = []
    for slot in range(0, len(texts), 2):
        row = texts[slot:slot + 2]
        if len(row) == 2 and all(len(line) <= CARD_LINE_CHARS for card in row for line in card):
            blocks.append({"slot": slot, "wide": True,
                           "text": "\n".join(f"{left}\t{right}" for left, right in zip(*row, strict=True))})
        else:
            blocks += [{"slot": slot + i, "wide": False, "text": "\n".join(card)} for i, card in enumerate(row)]
    return blocks


def voter_cards_contexts(election: Election) -> list[dict]:
    """The cards' text layer (serial, name, group per card) as chunk contexts of pages of eight."""
    entries = list(VoterRollEntry.objects.filter(election=election).order_by("serial")
                   .values_list("serial", "group_name", "resident__name"))
    sheets = [_card_blocks(entries[i:i + CARDS_PER_PAGE]) for i in range(0, len(entries), CARDS_PER_PAGE)] or [[]]
    return [{"title": _("选民证"), "sheets": sheets[i:i + CARD_PAGES_PER_CHUNK]}
            for i in range(0, len(sheets), CARD_PAGES_PER_CHUNK)]


def voter_card_frames_context(election: Election, cards: int) -> dict:
    """What every card of the election shares, for a page of eight and, if `cards` leaves the last page short, for
    that page: no blank card frame is printed that could be filled in by hand."""
    last = cards % CARDS_PER_PAGE
    return {"issuer": issuer(election), "title": _("选民证"), "election_name": election.name,
            "day": cn_day(election.election_day), "venue": election.venue,
            "sheets": [range(min(cards, CARDS_PER_PAGE))] + ([range(last)] if last and cards > CARDS_PER_PAGE else [])}


def render_voter_cards(election: Election, progress=None) -> bytes:
    contexts = voter_cards_contexts(election)
    cards = VoterRollEntry.objects.filter(election=election).count()
    return render_pdf_chunks(VOTER_CARDS_TEMPLATE, contexts, progress=progress,
                             underlay=(VOTER_CARD_FRAMES_TEMPLATE, voter_card_frames_context(election, cards)))


@paper
def voter_cards_job(*, job, election_id: int) -> None:
    """Background job: every voter's card (选民证) with its serial number, eight to a page."""
    election = Election.objects.select_related("community").get(pk=election_id)
    content = render_voter_cards(election, progress=lambda done, n: report(job, done=done, total=n))
    attach(job, name=f"voter-cards-{election.pk}.pdf", content=content)


VOTER_CARDS_JOB = f"{voter_cards_job.__module__}.{voter_cards_job.__name__}"



def nomination_report_context(election: Election) -> dict:
    """候选人推选报告单 (甘肃规程工作指引, 提名确定候选人 (6): 填写候选人推选报告单, 文书范例8): the counted nomination
    forms and, per post, every nominee with their forms, how they were nominated and what became of them."""
    tally = getattr(election, "nomination_tally", None)
    paragraphs = [_("%(community)s第%(term)s届居民委员会成员候选人提名情况报告如下。") % {
        "community": election.community.name, "term": election.term_number}]
    if tally:
        paragraphs.append(_("共发出提名票%(issued)s张，收回%(returned)s张，其中有效票%(valid)s张，无效票%(invalid)s张。")
                          % {"issued": tally.issued, "returned": tally.returned, "valid": tally.valid,
                             "invalid": tally.invalid})
    paragraphs.append(_("被提名人按职务和提名票数多少排列（提名票数相同的按姓氏笔画）："))
    statuses = {(c.position_id, c.name): c.get_status_display() for c in election.candidates.all()}
    tables = [{"caption": _("%(title)s（应选%(seats)s名）") % {"title": position.title, "seats": position.seats},
               "head": [_("序号"), _("被提名人"), _("提名票数"), _("提名方式"), _("结果")],
               "rows": [[str(n), e["name"], str(e["forms"]), _("、").join(e["sources"]),
                         statuses.get((position.pk, e["name"]), _("未列入候选人"))]
                        for n, e in enumerate(nominees, start=1)]}
              for position, nominees in ranking(election).items()]
    tables.append({"head": [_("监票人（签字）"), _("计票人（签字）"), _("选举委员会主任（签字）")],
                   "rows": [["", "", ""]]})
    return {"issuer": issuer(election), "title": _("候选人推选报告单"), "doc_number": "", "draft": False,
            "date": election.nominations_closed_on or today(), "election": election,
            "paragraphs": paragraphs, "tables": tables}


def render_nomination_report(election: Election) -> bytes:
    return render_pdf(NOTICE_TEMPLATE, nomination_report_context(election))
