"""Run every benchmark against a fresh street-scale database, each in its own process.

Each benchmark runs in a child process so that `peak_rss_mb` is the peak memory of the work alone
(the child's own peak plus that of any processes it started). The parent builds the database once:
`migrate` then `loaddemo --size street`.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["import_residents", "voter_roll", "tally", "voters_pdf", "board_page", "resident_search", "hostile_uploads",
         "street_report", "ballot_entry", "voter_cards"]
DEFAULT_PG = "postgres://juwei:juwei@127.0.0.1:5432/juwei_bench"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes where needed, under 5 minutes")
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_PG, metavar="URL",
                        help=f"run on PostgreSQL (default {DEFAULT_PG}); the database is recreated")
    parser.add_argument("--only", nargs="+", choices=NAMES, metavar="NAME")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    args = parser.parse_args()

    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="true",
               JUWEI_TASKS="immediate", PYTHONPATH=str(ROOT))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    env["JUWEI_MEDIA_ROOT"] = str(out / "media")
    env["DATABASE_URL"] = args.postgres or f"sqlite:///{out / 'bench.sqlite3'}"
    database = "postgresql" if args.postgres else "sqlite"

    if not args.reuse:
        started = time.monotonic()
        _fresh_database(args.postgres, out)
        _manage(env, "migrate", "-v0")
        migrated = time.monotonic()
        _manage(env, "loaddemo", "--size", "street", "--force")
        print(json.dumps({"name": "setup", "database": database, "migrate_s": round(migrated - started, 1),
                          "loaddemo_street_s": round(time.monotonic() - migrated, 1)}), flush=True)

    if args.postgres:
        _analyze(args.postgres)

    failures = 0
    for name in args.only or NAMES:
        command = [sys.executable, "-m", "bench.one", name] + (["--quick"] if args.quick else [])
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            failures += 1
            line = {"name": name, "ok": False, "error": (result.stderr or result.stdout).strip()[-2000:]}
        else:
            line = json.loads(result.stdout.strip().splitlines()[-1])
        line["database"] = database
        line["quick"] = args.quick
        failures += 0 if line.get("ok") else 1
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failures else 0


def _fresh_database(pg_url: str | None, out: Path) -> None:
    if pg_url is None:
        for suffix in ("", "-wal", "-shm"):
            (out / f"bench.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    base, name = pg_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _analyze(pg_url: str) -> None:
    """Planner statistics for the freshly loaded tables, as autovacuum would gather them soon after a bulk load
    (without them PostgreSQL misjudges the 100,000 ballots and plans the tally's subqueries badly)."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def _manage(env, *args) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    sys.exit(main())
