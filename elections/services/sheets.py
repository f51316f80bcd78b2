"""Ballots entered in bulk: machine-read CSV (docs/formats.md, Machine-read ballots) and hand-counted tally
sheets, ending in the same Ballot and BallotMark rows as entry per paper."""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lib.outcome import Outcome
from lib.text import listed

from ..models import (
    Ballot,
    BallotSource,
    BallotStatus,
    Box,
    Election,
    TallySheet,
)
from .dates import warn
from .entry import _claim_route, _commit
from .voting import _lock_box, _require_counting

MISSING_COLUMNS = gettext_noop("第 1 行 表头: 缺少列 %(columns)s")

CSV_HEADERS = ["box", "serial", "position", "marks", "status"]


@transaction.atomic
def import_ballots(*, election: Election, text: str) -> int:
    """Add machine-read ballots (docs/formats.md, Machine-read ballots) to an election that is counting.
    All or nothing."""
    _require_counting(election)
    # newline="" keeps a carriage return inside a field a field's content, as the csv module wants it.
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    missing = [h for h in CSV_HEADERS if h not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(_(MISSING_COLUMNS) % {"columns": listed(missing, sentence=MISSING_COLUMNS)})
    boxes = {b.code: b for b in election.boxes.all()}
    positions = {p.code: p for p in election.positions.all()}
    existing = set(Ballot.objects.filter(election=election).values_list("box__code", "serial"))
    papers: dict[tuple[str, int], dict] = {}
    for line, row in enumerate(reader, start=2):
        def bad(field, reason, line=line):
            raise ValidationError(_("第 %(line)s 行 %(field)s: %(reason)s") % {
                "line": line, "field": field, "reason": reason})

        code = (row["box"] or "").strip()
        if code not in boxes:
            bad("box", _("票箱“%(code)s”不属于本次选举") % {"code": code})
        box = boxes[code]
        if box.entered or box.withdrawn_reason or box.route_of_entry not in ("", BallotSource.CSV):
            bad("box", _("票箱 %(box)s 已经录入、已撤销或正在以其他方式录入，不能再导入机读选票") % {"box": code})
        try:
            serial = int((row["serial"] or "").strip())
        except ValueError:
            bad("serial", _("应为正整数"))
        if serial < 1:
            bad("serial", _("应为正整数"))
        if (code, serial) in existing:
            bad("serial", _("票箱 %(box)s 的第 %(serial)s 张选票已经录入") % {"box": code, "serial": serial})
        status = (row["status"] or "").strip()
        # A machine cannot judge a disputed paper: it is set aside and entered on paper (docs/formats.md).
        if status not in (BallotStatus.READABLE, BallotStatus.SPOILED):
            bad("status", _("应为空或 spoiled"))
        position = (row["position"] or "").strip()
        if position and position not in positions:
            bad("position", _("职位“%(code)s”不属于本次选举") % {"code": position})
        names = [n.strip() for n in (row["marks"] or "").split(";") if n.strip()]
        if len(set(names)) != len(names):
            bad("marks", _("同一职位的姓名重复"))
        if any(len(n) > 50 for n in names):
            bad("marks", _("姓名不能超过50个字"))
        paper = papers.setdefault((code, serial), {"box": code, "serial": serial, "status": status, "marks": {},
                                                   "line": line})
        if paper["status"] != status:
            bad("status", _("与第 %(line)s 行同一张选票的状态不一致") % {"line": paper["line"]})
        if position:
            if position in paper["marks"]:
                bad("position", _("同一张选票的职位“%(code)s”重复（见第 %(line)s 行）") % {
                    "code": position, "line": paper["line"]})
            if names:
                paper["marks"][position] = names
    if not papers:
        raise ValidationError(_("第 2 行: 文件中没有选票"))
    for code in {p["box"] for p in papers.values()}:
        _claim_route(_lock_box(boxes[code]), BallotSource.CSV)
    return _commit(election=election, box=None, ballots=list(papers.values()), source=BallotSource.CSV)


def _spread(counts: dict[str, int], valid: int) -> list[list[str]]:
    """Names on `valid` ballots so each name is on as many ballots as it has votes, never twice on one.

    Wrap-around: name after name fills consecutive slots taken modulo the number of ballots; since no
    count exceeds `valid`, a name never meets itself, and each ballot gets at most ceil(total / valid) names.
    """
    papers: list[list[str]] = [[] for _ in range(valid)]
    slot = 0
    for name, votes in counts.items():
        for _vote in range(votes):
            papers[slot % valid].append(name)
            slot += 1
    return papers


@transaction.atomic
def enter_tally_sheet(*, box: Box, returned: int, valid: int, invalid: int, counts: dict[str, dict[str, int]],
                      user=None) -> TallySheet:
    """Take a box's hand-counted totals if they reconcile; a second clerk confirms them against the paper
    (confirm_tally_sheet), and only then do they become ballots that tally to the same counts."""
    box = _lock_box(box)
    election = box.election
    _require_counting(election)
    if TallySheet.objects.filter(box=box).exists():
        raise ValidationError(_("票箱 %(box)s 的计票单已经录入，等待第二名录入员核对") % {"box": box.code})
    _claim_route(box, BallotSource.SHEET)
    if min(returned, valid, invalid) < 0:
        raise ValidationError(_("票数不能为负数"))
    if valid + invalid != returned:
        raise ValidationError(
            _("计票单不平衡：有效票 %(valid)s 张 + 无效票 %(invalid)s 张 = %(sum)s 张，"
              "与收回选票 %(returned)s 张不符（相差 %(difference)s 张）") % {
                "valid": valid, "invalid": invalid, "sum": valid + invalid, "returned": returned,
                "difference": returned - valid - invalid})
    if returned > box.issued:
        raise ValidationError(_("收回选票 %(returned)s 张多于票箱 %(box)s 发出的选票 %(issued)s 张") % {
            "returned": returned, "box": box.code, "issued": box.issued})
    if returned == 0 and box.issued:
        raise ValidationError(_("票箱 %(box)s 发出选票 %(issued)s 张，计票单却一张未收回：请核对票箱；"
                                "设错的票箱应在投票前撤销，不能以空白计票单清空") % {
                                    "box": box.code, "issued": box.issued})
    positions = {p.code: p for p in election.positions.all()}
    cleaned: dict[str, dict[str, int]] = {}
    for code, per_name in (counts or {}).items():
        if code not in positions:
            raise ValidationError(_("职位“%(code)s”不属于本次选举") % {"code": code})
        per_name = {name.strip(): int(votes) for name, votes in per_name.items() if name.strip() and int(votes)}
        for name, votes in per_name.items():
            if votes < 0 or votes > valid:
                raise ValidationError(_("%(position)s %(name)s 得票 %(votes)s 张，不能多于有效票 %(valid)s 张") % {
                    "position": positions[code].label, "name": name, "votes": votes, "valid": valid})
        total, limit = sum(per_name.values()), positions[code].seats * valid
        if total > limit:
            raise ValidationError(_("%(position)s得票合计 %(total)s 张，多于有效票 %(valid)s 张 × 应选 "
                                    "%(seats)s 人 = %(limit)s") % {
                "position": positions[code].label, "total": total, "valid": valid, "seats": positions[code].seats,
                "limit": limit})
        cleaned[code] = per_name
    return TallySheet.objects.create(box=box, returned=returned, valid=valid, invalid=invalid, counts=cleaned,
                                     entered_by=user)


def _sheet_ballots(sheet: TallySheet) -> list[dict]:
    box = sheet.box
    ballots = [{"box": box.code, "serial": n, "status": "", "marks": {}} for n in range(1, sheet.valid + 1)]
    ballots += [{"box": box.code, "serial": n, "status": BallotStatus.SPOILED, "marks": {}}
                for n in range(sheet.valid + 1, sheet.returned + 1)]
    for code, per_name in sheet.counts.items():
        for ballot, names in zip(ballots, _spread(per_name, sheet.valid), strict=False):
            if names:
                ballot["marks"][code] = names
    return ballots


@transaction.atomic
def confirm_tally_sheet(*, box: Box, user) -> TallySheet:
    """A second clerk, not the one who typed it, confirms the tally sheet against the paper: the box is entered."""
    box = _lock_box(box)
    election = box.election
    _require_counting(election)
    sheet = TallySheet.objects.filter(box=box).first()
    if sheet is None:
        raise ValidationError(_("票箱 %(box)s 还没有录入计票单") % {"box": box.code})
    if sheet.confirmed_at:
        raise ValidationError(_("票箱 %(box)s 的计票单已经核对") % {"box": box.code})
    if user is None or sheet.entered_by_id == getattr(user, "pk", None):
        raise ValidationError(_("计票单须由另一名录入员核对确认"))
    sheet.confirmed_by, sheet.confirmed_at = user, timezone.now()
    sheet.save(update_fields=["confirmed_by", "confirmed_at"])
    _commit(election=election, box=box, ballots=_sheet_ballots(sheet), source=BallotSource.SHEET)
    return sheet


@transaction.atomic
def discard_tally_sheet(*, box: Box, user) -> Outcome[None]:
    """An unconfirmed tally sheet that the second clerk found wrong is taken back, to be entered again."""
    box = _lock_box(box)
    _require_counting(box.election)
    sheet = TallySheet.objects.filter(box=box, confirmed_at__isnull=True).first()
    if sheet is None:
        raise ValidationError(_("没有待核对的计票单"))
    discarded = warn(election=box.election, stage="counting", user=user,
                     text=_("票箱%(box)s的计票单经核对不符，退回重新录入") % {"box": box.code})
    sheet.delete()
    return Outcome.of(None, discarded)
