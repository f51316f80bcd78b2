"""voter_cards: the voter cards (选民证) of a 10,000-voter roll, eight to an A4 page, as the voter-cards job renders
them (`elections.services.papers.render_voter_cards` → `lib.pdf.render_pdf_chunks`, a pool of worker processes,
the cards' shared frame drawn once beneath every page); peak_rss_mb counts the largest of this process and its
workers, and cpu_s the processor time of this process and its workers together (what the run would take on
one free core; the wall time on a shared machine depends on the other load). Baseline in the same run: one chunk
of the same cards rendered by `render_pdf` in this process alone, scaled to all the chunks (`baseline_s`).

The roll of a new election is filled with the first 10,000 adults of the street in one bulk insert (entries
inactive: they clash with no other roll), and the whole is rolled back afterwards."""

import resource
import subprocess
import tempfile
import time

from django.db import transaction

from elections.services.papers import VOTER_CARDS_TEMPLATE, render_voter_cards, voter_cards_contexts
from lib.pdf import render_pdf

from ._data import election_with_voters

RSS_LIMIT_MB = 400


def run(*, quick: bool) -> dict:
    voters = 2_000 if quick else 10_000
    with transaction.atomic():
        election = election_with_voters(voters)
        started, cpu = time.perf_counter(), _cpu()
        pdf = render_voter_cards(election)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        contexts = voter_cards_contexts(election)
        started = time.perf_counter()
        render_pdf(VOTER_CARDS_TEMPLATE, contexts[0])
        baseline = (time.perf_counter() - started) * len(contexts)
        transaction.set_rollback(True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    pages = next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), None)
    return {"value": round(seconds, 2), "unit": "s", "target": 15.0, "ok": seconds <= 15.0 and pages == -(-voters // 8),
            "cards": voters, "pages": pages, "bytes": len(pdf), "baseline_s": round(baseline, 2),
            "chunks": len(contexts), "cpu_s": round(cpu, 2)}


def _cpu() -> float:
    usages = map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return sum(r.ru_utime + r.ru_stime for r in usages)
