"""A short load test on loopback: gunicorn with 2 workers, the public board and a staff list page.

`python -m bench.load [--seconds 15] [--concurrency 8]` uses the database of the last `python -m bench`
run (bench/out/bench.sqlite3, or DATABASE_URL). Every request loop is bounded in count and time and
talks only to 127.0.0.1.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
MAX_REQUESTS = 20_000


def staff_cookie(env) -> str:
    code = (
        "import django; django.setup();"
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "u = get_user_model().objects.get(username='jiedao'); s = SessionStore();"
        "s[SESSION_KEY] = str(u.pk); s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend';"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def hammer(url: str, *, seconds: float, concurrency: int, cookie: str = "") -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + errors >= MAX_REQUESTS:
                    return
            request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
                    ok = response.status == 200
            except Exception:
                ok = False
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "url": url.replace(f"http://127.0.0.1:{PORT}", ""), "requests": len(latencies), "errors": errors,
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1) if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--community", default="HBA")
    args = parser.parse_args()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="false",
               DJANGO_SECRET_KEY="load-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
               JUWEI_SIGNATURE_KEY="load-test-signature-key",
               # the session is forged without a one-time code; production would send it to bind one
               JUWEI_OTP_FOR_STREET_STAFF="false",
               DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="false", PYTHONPATH=str(ROOT))
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'out' / 'bench.sqlite3'}")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    cookie = staff_cookie(env)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2",
                               "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        base = f"http://127.0.0.1:{PORT}"
        for url, cookie_for in [(f"{base}/board/{args.community}/", ""), (f"{base}/residents/", cookie)]:
            result = hammer(url, seconds=args.seconds, concurrency=args.concurrency, cookie=cookie_for)
            print(json.dumps({"name": "load", "workers": 2, "concurrency": args.concurrency, **result}), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
