"""Election archives built for tests: the real 后北岸 result (docs/domain.md, Elections: reference case) and
small hand-made ones."""

# docs/domain.md, Elections: reference case (后北岸社区, 4th election). Winners and votes as published; the losing
# candidates, the write-in, the boxes and the split of ballots between boxes are invented so that the published
# figures come out.
HBA_VOTES = {
    "director": {"吴逸芸": 1855, "黄振华": 296},
    "deputy": {"方学全": 1752, "王丽娟": 388},
    "member": {"印彦邦": 1938, "葛鸿平": 1936, "毛若虹": 1921, "张吉生": 1913, "蒋惠琴": 1754, "陈国平": 517,
               "李明": 21},  # 李明 is a write-in (另选他人)
}
HBA_CANDIDATES = [
    ("director", "吴逸芸", "女"), ("director", "黄振华", "男"),
    ("deputy", "方学全", "男"), ("deputy", "王丽娟", "女"),
    ("member", "印彦邦", "男"), ("member", "葛鸿平", "男"), ("member", "毛若虹", "女"), ("member", "张吉生", "男"),
    ("member", "蒋惠琴", "女"), ("member", "陈国平", "男"),
]
# (code, kind, name, issued, returned): 2,268 issued, 2,208 returned.
HBA_BOXES = [
    ("C", "venue", "中心会场", 1300, 1268), ("S1", "station", "社区投票站", 700, 682),
    ("M1", "mobile", "流动票箱一", 48, 45), ("M2", "mobile", "流动票箱二", 45, 43),
    ("M3", "mobile", "流动票箱三", 44, 42), ("M4", "mobile", "流动票箱四", 45, 44),
    ("M5", "mobile", "流动票箱五", 43, 42), ("M6", "mobile", "流动票箱六", 43, 42),
]
HBA_SPOILED = 17
# Readable ballots whose member section names six people (more than the 5 seats): that section is void.
HBA_OVER_MARKED = 3


def spread(counts: dict[str, int], papers: int) -> list[list[str]]:
    """Names on `papers` ballots, each on as many as its votes and never twice on one (wrap-around)."""
    out = [[] for _ in range(papers)]
    slot = 0
    for name, votes in counts.items():
        for _ in range(votes):
            out[slot % papers].append(name)
            slot += 1
    return out


def hba_archive() -> dict:
    """The 后北岸 archive: 2,208 ballots (17 spoiled, 3 with an over-marked member section)."""
    returned = sum(b[4] for b in HBA_BOXES)
    readable = returned - HBA_SPOILED
    ballots = [{"status": "", "marks": {}} for _ in range(readable)]
    for code, counts in HBA_VOTES.items():
        usable = readable - (HBA_OVER_MARKED if code == "member" else 0)
        for ballot, names in zip(ballots, spread(counts, usable), strict=False):
            if names:
                ballot["marks"][code] = names
    for ballot in ballots[readable - HBA_OVER_MARKED:]:
        ballot["marks"]["member"] = ["印彦邦", "葛鸿平", "毛若虹", "张吉生", "蒋惠琴", "陈国平"]
    ballots += [{"status": "spoiled", "marks": {}} for _ in range(HBA_SPOILED)]
    # Deal the papers to the boxes: spoiled ones end up spread over the boxes as well.
    slots = [code for code, _k, _n, _i, got in HBA_BOXES for _ in range(got)]
    order = sorted(range(len(ballots)), key=lambda i: (i * 7919) % len(ballots))
    serials = {code: 0 for code, *_ in HBA_BOXES}
    placed = []
    for code, index in zip(slots, order, strict=True):
        serials[code] += 1
        placed.append({"box": code, "serial": serials[code], **ballots[index]})
    return {
        "format": "juwei-election/1",
        "community": {"code": "HBA", "name": "后北岸社区", "street": "天宁区街道"},
        "name": "后北岸社区第四届居民委员会换届选举",
        "mode": "direct",
        "election_day": "2024-03-16",
        "registered_voters": 2722,
        "round": 1,
        "positions": [{"code": "director", "title": "主任", "seats": 1},
                      {"code": "deputy", "title": "副主任", "seats": 1},
                      {"code": "member", "title": "委员", "seats": 5}],
        "candidates": [{"position": p, "name": n, "gender": g} for p, n, g in HBA_CANDIDATES],
        "boxes": [{"code": c, "kind": k, "name": n, "issued": i} for c, k, n, i, _r in HBA_BOXES],
        "ballots": placed,
    }


def small_archive(*, ballots: list[dict], seats=(1, 1, 5), registered=10, mode="direct", issued=None,
                  candidates=None, rule_set=None, round_=1) -> dict:
    """A small archive with one box `C`; `ballots` are {marks, status} (serials are numbered here)."""
    positions = [{"code": c, "title": t, "seats": s} for (c, t), s in
                 zip([("director", "主任"), ("deputy", "副主任"), ("member", "委员")], seats, strict=True)]
    data = {
        "format": "juwei-election/1",
        "community": {"code": "T1", "name": "测试社区", "street": "测试街道"},
        "name": "测试社区第一届居民委员会换届选举",
        "mode": mode,
        "election_day": "2024-03-16",
        "registered_voters": registered,
        "round": round_,
        "positions": positions,
        "candidates": candidates if candidates is not None else [],
        "boxes": [{"code": "C", "kind": "venue", "name": "中心会场",
                   "issued": len(ballots) if issued is None else issued}],
        "ballots": [{"box": "C", "serial": i, "status": b.get("status", ""), "marks": b.get("marks", {})}
                    for i, b in enumerate(ballots, start=1)],
    }
    if rule_set:
        data["rule_set"] = rule_set
    return data


def votes(counts: dict[str, dict[str, int]], papers: int) -> list[dict]:
    """`papers` readable ballots carrying exactly `counts` ({position: {name: votes}})."""
    ballots = [{"marks": {}} for _ in range(papers)]
    for code, per_name in counts.items():
        for ballot, names in zip(ballots, spread(per_name, papers), strict=False):
            if names:
                ballot["marks"][code] = names
    return ballots


__all__ = ["hba_archive", "small_archive", "spread", "votes"]
