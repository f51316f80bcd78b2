"""voters_pdf: the voter list PDF of a 10,000-voter roll (`elections.services.papers.render_voter_list`),
chunks rendered in a pool of worker processes; peak_rss_mb counts the largest of this process and its workers.

A community of the demo has about 7,700 voters, so the roll of a new election is filled with the first
10,000 adults of the street in one bulk insert (entries inactive: they clash with no other roll), and the
whole is rolled back afterwards. The workers only render (no database), so they need nothing committed."""

import subprocess
import tempfile
import time

from django.db import transaction

from elections.services.papers import render_voter_list

from ._data import election_with_voters

RSS_LIMIT_MB = 400


def run(*, quick: bool) -> dict:
    voters = 2_000 if quick else 10_000
    with transaction.atomic():
        election = election_with_voters(voters)
        started = time.perf_counter()
        pdf = render_voter_list(election)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    pages = next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), None)
    return {"value": round(seconds, 2), "unit": "s", "target": 15.0, "ok": seconds <= 15.0, "voters": voters,
            "pages": pages, "bytes": len(pdf)}
