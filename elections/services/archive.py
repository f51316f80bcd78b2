"""The election archive (docs/formats.md, Election archive): the whole record of one election, ballots included.

Import validates the whole document first and names the first bad field (`ballots[12].box: …`), then
writes everything in one transaction with bulk inserts; export writes what import reads, so an archive
imported elsewhere tallies the same.
"""

import datetime
import hashlib
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from org.models import Community, StreetOffice

from ..models import (
    Ballot,
    BallotMark,
    BallotSource,
    BallotStatus,
    Box,
    BoxKind,
    Candidate,
    CandidateStatus,
    DisputedBallot,
    DisputedDecision,
    Election,
    ElectionKind,
    ElectionStatus,
    Mode,
    Position,
    RuleSet,
)
from ..rulesets import DEFAULT, RULE_SETS, install_rule_sets
from .certification import open_certification
from .disputed import COUNTS_AS, file_disputed
from .nominations import in_ballot_order
from .setup import copy_rules
from .tally import registered_voters

FORMAT = "juwei-election/1"
GENDERS = {"女": "F", "男": "M", "F": "F", "M": "M", "": ""}
GENDER_NAMES = {"F": "女", "M": "男", "": ""}
# Rule-set fields carried in an archive's optional "rules" object (everything but identity and bookkeeping).
RULE_FIELDS = [f.name for f in RuleSet._meta.concrete_fields
               if f.name not in ("id", "name", "description", "is_template", "copied_from")]
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
BATCH = 5000


def _bad(path: str, reason: str):
    raise ValidationError(_("%(path)s: %(reason)s") % {"path": path, "reason": reason}, code="invalid")


def _term_from_name(name: str) -> int:
    """The term number written in an election's name (第四届 → 4, 第12届 → 12); 1 when none is written."""
    match = re.search(r"第([0-9一二三四五六七八九十]+)届", name)
    if not match:
        return 1
    text = match.group(1)
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + CN_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return CN_DIGITS[tens] * 10 + CN_DIGITS.get(ones, 0)
    return CN_DIGITS.get(text, 1)


def _text(data: dict, key: str, path: str, *, required=True, max_length=200) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        _bad(f"{path}{key}", _("应为文字"))
    value = value.strip()
    if required and not value:
        _bad(f"{path}{key}", _("不能为空"))
    if len(value) > max_length:
        _bad(f"{path}{key}", _("不能超过%(max)s个字") % {"max": max_length})
    return value


def _int(value, path: str, *, minimum=0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _bad(path, _("应为整数"))
    if value < minimum:
        _bad(path, _("不能小于%(min)s") % {"min": minimum})
    return value


def _list(data: dict, key: str, path: str = "") -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        _bad(f"{path}{key}", _("应为列表"))
    return value


def _dict(value, path: str) -> dict:
    if not isinstance(value, dict):
        _bad(path, _("应为对象"))
    return value


def parse(data) -> dict:
    """Validate an archive document completely; the first problem raises ValidationError naming its field."""
    data = _dict(data, "archive")
    if data.get("format") != FORMAT:
        _bad("format", _("应为“%(format)s”") % {"format": FORMAT})
    community = _dict(data.get("community"), "community")
    parsed = {
        "community": {"code": _text(community, "code", "community.", max_length=20),
                      "name": _text(community, "name", "community.", max_length=100),
                      "street": _text(community, "street", "community.", required=False, max_length=100)},
        "name": _text(data, "name", "", max_length=200),
    }
    mode = data.get("mode")
    if mode not in Mode.values:
        _bad("mode", _("应为 %(values)s 之一") % {"values": " / ".join(Mode.values)})
    parsed["mode"] = mode
    try:
        parsed["election_day"] = datetime.date.fromisoformat(_text(data, "election_day", ""))
    except ValueError:
        _bad("election_day", _("日期格式应为 YYYY-MM-DD"))
    parsed["registered_voters"] = (_int(data["registered_voters"], "registered_voters")
                                   if data.get("registered_voters") is not None else None)
    parsed["round"] = data.get("round", 1)
    if parsed["round"] not in (1, 2):
        _bad("round", _("应为 1（换届选举）或 2（另行选举）"))
    parsed["term_number"] = (_int(data["term_number"], "term_number", minimum=1) if "term_number" in data
                             else _term_from_name(parsed["name"]))
    rule_set = data.get("rule_set")
    if rule_set is not None and not isinstance(rule_set, str):
        _bad("rule_set", _("应为规则名称"))
    parsed["rule_set"] = rule_set or DEFAULT
    parsed["rules"] = _parse_rules(data["rules"]) if data.get("rules") is not None else None

    positions = {}
    for i, item in enumerate(_list(data, "positions")):
        path = f"positions[{i}]."
        item = _dict(item, path[:-1])
        code = _text(item, "code", path, max_length=20)
        if not re.fullmatch(r"[-a-zA-Z0-9_]+", code):
            _bad(f"{path}code", _("只能包含字母、数字、连字符和下划线"))
        if code in positions:
            _bad(f"{path}code", _("职位“%(code)s”重复") % {"code": code})
        positions[code] = {"code": code, "title": _text(item, "title", path, max_length=20),
                           "seats": _int(item.get("seats"), f"{path}seats", minimum=1), "order": i}
    if not positions:
        _bad("positions", _("至少要有一个职位"))
    parsed["positions"] = list(positions.values())

    candidates = set()
    parsed["candidates"] = []
    for i, item in enumerate(_list(data, "candidates")):
        path = f"candidates[{i}]."
        item = _dict(item, path[:-1])
        position = _text(item, "position", path)
        if position not in positions:
            _bad(f"{path}position", _("职位“%(code)s”不在 positions 中") % {"code": position})
        name = _text(item, "name", path, max_length=50)
        if (position, name) in candidates:
            _bad(f"{path}name", _("候选人“%(name)s”在该职位重复") % {"name": name})
        candidates.add((position, name))
        gender = item.get("gender") or ""
        if not isinstance(gender, str) or gender not in GENDERS:  # a list here must be refused, not crash
            _bad(f"{path}gender", _("应为“男”或“女”"))
        order = _int(item["order"], f"{path}order") if item.get("order") is not None else None
        nominations = _int(item.get("nominations", 0), f"{path}nominations")
        parsed["candidates"].append({"position": position, "name": name, "gender": GENDERS[gender],
                                     "order": order, "nominations": nominations})
    for code in positions:
        given = [c["order"] is not None for c in parsed["candidates"] if c["position"] == code]
        if any(given) and not all(given):
            _bad("candidates", _("职位“%(code)s”的候选人须都有 order 或都没有") % {"code": code})

    boxes = {}
    for i, item in enumerate(_list(data, "boxes")):
        path = f"boxes[{i}]."
        item = _dict(item, path[:-1])
        code = _text(item, "code", path, max_length=10)
        if code in boxes:
            _bad(f"{path}code", _("票箱“%(code)s”重复") % {"code": code})
        kind = item.get("kind")
        if kind not in BoxKind.values:
            _bad(f"{path}kind", _("应为 %(values)s 之一") % {"values": " / ".join(BoxKind.values)})
        box = {"code": code, "kind": kind, "name": _text(item, "name", path, max_length=100),
               "issued": _int(item.get("issued", 0), f"{path}issued"),
               "route": _text(item, "route", path, required=False, max_length=300)}
        for key in ("starts_on", "ends_on"):
            try:
                box[key] = datetime.date.fromisoformat(item[key]) if item.get(key) else None
            except (TypeError, ValueError):
                _bad(f"{path}{key}", _("日期格式应为 YYYY-MM-DD"))
        boxes[code] = box
    parsed["boxes"] = list(boxes.values())

    serials, disputed_numbers = set(), set()
    parsed["ballots"] = []
    for i, item in enumerate(_list(data, "ballots")):
        path = f"ballots[{i}]"
        if not isinstance(item, dict):
            _bad(path, _("应为对象"))
        box = item.get("box")
        if not isinstance(box, str) or box not in boxes:  # a list or object here must be refused, not crash
            _bad(f"{path}.box", _("票箱“%(code)s”不在 boxes 中") % {"code": box})
        serial = _int(item.get("serial"), f"{path}.serial", minimum=1)
        if (box, serial) in serials:
            _bad(f"{path}.serial", _("票箱“%(code)s”的序号 %(serial)s 重复") % {"code": box, "serial": serial})
        serials.add((box, serial))
        status = item.get("status") or ""
        if status not in BallotStatus.values:
            _bad(f"{path}.status", _("应为空、“spoiled”或“disputed”"))
        ballot = {"box": box, "serial": serial, "status": status,
                  "marks": _marks(item.get("marks") or {}, f"{path}.marks", positions)}
        if "disputed" in item or status == BallotStatus.DISPUTED:
            ballot["marks"], ballot["disputed"] = _disputed(item, path, positions, status)
            if ballot["disputed"]["number"] in disputed_numbers:
                _bad(f"{path}.disputed.number", _("疑难选票编号 %(number)s 重复") % {
                    "number": ballot["disputed"]["number"]})
            disputed_numbers.add(ballot["disputed"]["number"])
        parsed["ballots"].append(ballot)
    return parsed


def _marks(marks, path: str, positions) -> dict[str, list[str]]:
    if not isinstance(marks, dict):
        _bad(path, _("应为对象（职位 → 姓名列表）"))
    for code, names in marks.items():
        if code not in positions:
            _bad(f"{path}.{code}", _("职位“%(code)s”不在 positions 中") % {"code": code})
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            _bad(f"{path}.{code}", _("应为非空姓名的列表"))
        if len({n.strip() for n in names}) != len(names):
            _bad(f"{path}.{code}", _("同一职位的姓名重复"))
        if any(len(n.strip()) > 50 for n in names):
            _bad(f"{path}.{code}", _("姓名不能超过50个字"))
    return {code: [n.strip() for n in names] for code, names in marks.items()}


def _disputed(item: dict, ballot_path: str, positions, status: str) -> tuple[dict, dict]:
    """(marks as read, record) of a disputed paper of an archive (docs/formats.md): the committee's decision
    must agree with the ballot's status. An archive is a closed count, so an undecided paper is refused."""
    path = f"{ballot_path}.disputed"
    data = _dict(item.get("disputed"), path)
    number = _int(data.get("number"), f"{path}.number", minimum=1)
    decision = data.get("decision") or ""
    if decision not in (DisputedDecision.VALID, DisputedDecision.PARTLY, DisputedDecision.INVALID):
        _bad(f"{path}.decision", _("应为 valid / partly / invalid 之一：档案中的疑难选票须已认定"))
    if status != COUNTS_AS[decision]:
        _bad(f"{ballot_path}.status", _("与疑难选票的认定结果“%(decision)s”不一致") % {
            "decision": DisputedDecision(decision).label})
    void = _list(data, "void_posts", f"{path}.")
    if (not all(isinstance(code, str) and code in positions for code in void)
            or (decision == DisputedDecision.PARTLY) != bool(void)):
        _bad(f"{path}.void_posts", _("部分有效的选票列出不计票的职位（positions 中的代码），其他认定不列"))
    votes = _dict(data.get("votes"), f"{path}.votes")
    counted = {key: _int(votes.get(key), f"{path}.votes.{key}") for key in ("for", "against", "abstain")}
    if counted["for"] <= counted["against"] + counted["abstain"]:
        _bad(f"{path}.votes", _("同意票须过参加表决人数的半数"))
    try:
        decided_on = datetime.date.fromisoformat(data.get("decided_on") or "")
    except (TypeError, ValueError):
        _bad(f"{path}.decided_on", _("日期格式应为 YYYY-MM-DD"))
    return _marks(data.get("marks") or {}, f"{path}.marks", positions), {
        "number": number, "issue": _text(data, "issue", f"{path}.", max_length=100), "decision": decision,
        "void_posts": void, "votes_for": counted["for"], "votes_against": counted["against"],
        "votes_abstain": counted["abstain"], "decided_on": decided_on}


def _parse_rules(rules) -> dict:
    rules = _dict(rules, "rules")
    values = {}
    for field in RuleSet._meta.concrete_fields:
        if field.name not in RULE_FIELDS or field.name not in rules:
            continue
        value = rules[field.name]
        try:
            values[field.name] = (Decimal(str(value)) if isinstance(field, models.DecimalField)
                                  else field.to_python(value))
            field.run_validators(values[field.name])
        except (InvalidOperation, ValidationError, TypeError, ValueError):
            _bad(f"rules.{field.name}", _("值“%(value)s”无效") % {"value": value})
    # The clauses map a parameter to the text of its source (docs/domain.md, Elections: rule sets).
    clauses = values.get("clauses", {})
    if not isinstance(clauses, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in clauses.items()):
        _bad("rules.clauses", _("应为参数名到依据条文的对照"))
    return values


def _street(name: str) -> StreetOffice:
    street = StreetOffice.objects.filter(name=name).first()
    if street:
        return street
    # Street codes are slugs; a Chinese name gets a stable code from its digest.
    return StreetOffice.objects.create(name=name, code="s-" + hashlib.sha1(name.encode()).hexdigest()[:10])


def _rules(parsed: dict) -> RuleSet:
    template = RuleSet.objects.filter(name=parsed["rule_set"], is_template=True).first()
    if template is None and parsed["rule_set"] in {r["name"] for r in RULE_SETS}:
        install_rule_sets()
        template = RuleSet.objects.get(name=parsed["rule_set"], is_template=True)
    if template is None and parsed["rules"]:
        # The archive carries every number of its rule set: any template serves as the frame.
        install_rule_sets()
        template = RuleSet.objects.get(name=DEFAULT, is_template=True)
    if template is None:
        _bad("rule_set", _("规则“%(name)s”不存在") % {"name": parsed["rule_set"]})
    copy = copy_rules(template)
    copy.name = parsed["rule_set"]
    if parsed["rules"]:
        for key, value in parsed["rules"].items():
            setattr(copy, key, value)
        copy.full_clean(exclude=["name"])
        copy.save()
    return copy


@transaction.atomic
def import_election(data) -> Election:
    """Create the election an archive describes (and its community and street if missing). All or nothing."""
    parsed = parse(data)
    info = parsed["community"]
    community = Community.objects.filter(code=info["code"]).first()
    if community is None:
        community = Community.objects.create(code=info["code"], name=info["name"],
                                             street=_street(info["street"] or info["name"]))
    further = parsed["round"] == 2
    election = Election.objects.create(
        community=community, name=parsed["name"], term_number=parsed["term_number"], mode=parsed["mode"],
        kind=ElectionKind.FURTHER if further else ElectionKind.MAIN, round=parsed["round"],
        election_day=parsed["election_day"], rules=_rules(parsed), registered_voters=parsed["registered_voters"],
        status=ElectionStatus.CLOSED if parsed["ballots"] else ElectionStatus.PREPARING,
    )
    positions = {p["code"]: Position.objects.create(election=election, **p) for p in parsed["positions"]}
    candidates = {}
    for code, position in positions.items():
        listed = [Candidate(election=election, position=position, name=c["name"], gender=c["gender"],
                            status=CandidateStatus.FORMAL, nominations=c["nominations"], ballot_order=c["order"] or 0)
                  for c in parsed["candidates"] if c["position"] == code]
        if all(c["order"] is None for c in parsed["candidates"] if c["position"] == code):
            # Typed in from paper without an order: the rule set's ballot order (docs/formats.md).
            for order, candidate in enumerate(in_ballot_order(rules=election.rules, candidates=listed), start=1):
                candidate.ballot_order = order
        for candidate in listed:
            candidate.save()
            candidates[(position.pk, candidate.name)] = candidate.pk
    boxes = {b["code"]: Box.objects.create(election=election, **b) for b in parsed["boxes"]}
    entered = {b["box"] for b in parsed["ballots"]}
    Box.objects.filter(election=election, code__in=entered).update(entered=True)
    write_ballots(election=election, ballots=parsed["ballots"], boxes=boxes, positions=positions,
                  candidates=candidates, source=BallotSource.ARCHIVE)
    if parsed["ballots"]:
        # An archive with ballots is a closed count (docs/commands.md): its report prints, marked uncertified,
        # and is signed and confirmed here as any count closed here.
        open_certification(election=election)
    return election


def write_ballots(*, election: Election, ballots: list[dict], boxes: dict, positions: dict, candidates: dict,
                  source: str) -> int:
    """Bulk-insert validated ballots ({box, serial, status, marks}, a disputed paper with `disputed`: its issue,
    from an archive its number and decision) and their marks; returns the count."""
    disputed = []
    for start in range(0, len(ballots), BATCH):
        chunk = ballots[start:start + BATCH]
        created = Ballot.objects.bulk_create([
            Ballot(election=election, box=boxes[b["box"]], serial=b["serial"], status=b["status"], source=source)
            for b in chunk
        ])
        marks = []
        for ballot, data in zip(created, chunk, strict=True):
            if "disputed" in data:
                disputed.append((ballot.pk, data["disputed"]))
            # A disputed paper keeps the marks as read whatever the decision: the 认定表 shows them.
            elif data["status"] == BallotStatus.SPOILED:
                continue
            for code, names in data["marks"].items():
                position = positions[code]
                marks += [BallotMark(ballot_id=ballot.pk, position_id=position.pk, name=name,
                                     candidate_id=candidates.get((position.pk, name))) for name in names]
        BallotMark.objects.bulk_create(marks, batch_size=BATCH)
    file_disputed(election=election, papers=disputed)
    return len(ballots)


def _export_candidates(election: Election, positions: list[Position], codes: dict[int, str]) -> list[dict]:
    """Candidates in ballot order, `order` numbered 1… within each position."""
    out, rank = [], {}
    for c in (election.candidates.filter(position__in=positions)
              .order_by("position__order", "position_id", "ballot_order", "id")):
        rank[c.position_id] = rank.get(c.position_id, 0) + 1
        out.append({"position": codes[c.position_id], "name": c.name, "gender": GENDER_NAMES[c.gender],
                    "order": rank[c.position_id], "nominations": c.nominations})
    return out


def _export_disputed(disputed: DisputedBallot, as_read: dict, status: str) -> dict:
    """`marks` of a disputed paper are what counts (so that any reader of the format tallies it as decided);
    the marks as read go with the decision under `disputed`."""
    counted = {} if status == BallotStatus.SPOILED else {
        code: names for code, names in as_read.items() if code not in disputed.void_posts}
    return {"marks": counted, "disputed": {
        "number": disputed.number, "issue": disputed.issue, "decision": disputed.decision,
        "void_posts": disputed.void_posts, "marks": as_read,
        "votes": {"for": disputed.votes_for, "against": disputed.votes_against, "abstain": disputed.votes_abstain},
        "decided_on": disputed.decided_on.isoformat() if disputed.decided_on else None}}


def export_election(*, election: Election) -> dict:
    """The archive of `election` (docs/formats.md, Election archive), ballots included."""
    community = election.community
    positions = list(election.positions.order_by("order", "id"))
    codes = {p.pk: p.code for p in positions}
    rules = election.rules
    template = rules.copied_from.name if rules.copied_from_id else rules.name
    ballots = []
    marks = (BallotMark.objects.filter(ballot__election=election)
             .order_by("ballot_id", "id").values_list("ballot_id", "position_id", "name"))
    by_ballot: dict[int, dict] = {}
    for ballot_id, position_id, name in marks.iterator(chunk_size=BATCH):
        by_ballot.setdefault(ballot_id, {}).setdefault(codes[position_id], []).append(name)
    disputed = {d.ballot_id: d for d in DisputedBallot.objects.filter(election=election)}
    for ballot_id, box, serial, status in (Ballot.objects.filter(election=election)
                                           .order_by("box_id", "serial")
                                           .values_list("id", "box__code", "serial", "status")
                                           .iterator(chunk_size=BATCH)):
        current = by_ballot.get(ballot_id, {})
        ballot = {"box": box, "serial": serial, "status": status,
                  "marks": {code: current[code] for code in codes.values() if code in current}}
        if ballot_id in disputed:
            ballot |= _export_disputed(disputed[ballot_id], ballot["marks"], status)
        ballots.append(ballot)
    rule_values = model_to_dict(rules, fields=RULE_FIELDS)
    return {
        "format": FORMAT,
        "community": {"code": community.code, "name": community.name, "street": community.street.name},
        "name": election.name,
        "term_number": election.term_number,
        "mode": election.mode,
        "election_day": election.election_day.isoformat(),
        "registered_voters": registered_voters(election),
        "round": election.round,
        "rule_set": template,
        "rules": {k: str(v) if isinstance(v, Decimal) else v for k, v in rule_values.items()},
        "positions": [{"code": p.code, "title": p.title, "seats": p.seats} for p in positions],
        "candidates": _export_candidates(election, positions, codes),
        "boxes": [{"code": b.code, "kind": b.kind, "name": b.name, "issued": b.issued, "route": b.route,
                   "starts_on": b.starts_on.isoformat() if b.starts_on else None,
                   "ends_on": b.ends_on.isoformat() if b.ends_on else None}
                  for b in election.boxes.order_by("id")],
        "ballots": ballots,
    }
