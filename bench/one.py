"""Run one benchmark in this process and print its JSON line (called by bench/__main__.py)."""

import importlib
import json
import resource
import sys

import django


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux; children count for work handed to a process pool.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def main() -> None:
    name = sys.argv[1]
    quick = "--quick" in sys.argv
    django.setup()
    module = importlib.import_module(f"bench.{name}")
    result = module.run(quick=quick)
    result["peak_rss_mb"] = peak_rss_mb()
    limit = getattr(module, "RSS_LIMIT_MB", None)
    if limit is not None:
        result["rss_target_mb"] = limit
        result["ok"] = bool(result.get("ok")) and result["peak_rss_mb"] <= limit
    print(json.dumps({"name": name, **result}, ensure_ascii=False))


if __name__ == "__main__":
    main()
