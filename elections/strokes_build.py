"""Install-time build of the stroke-order table (run by .ci/setup; nothing is fetched at run time).

Source: the npm package cnchar-order (MIT licence, © theajack), a table of the stroke shapes of 6,939
common characters written in the mainland's standard stroke order. Each shape is reduced to the five
classes of GF 3002-1999 — 横 (提 with it), 竖 (竖钩 with it), 撇, 点 (捺 with it), 折 (every bent
stroke) — written 1–5, and kept as `elections/data/stroke_order.tsv` (character, sequence).
"""

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "cnchar-order@3.2.6"
TABLE = Path(__file__).resolve().parent / "data" / "stroke_order.tsv"
CLASS_OF_NAME = {"横": "1", "提": "1", "竖": "2", "竖钩": "2", "撇": "3", "点": "4", "点2": "4", "捺": "4"}


def parse_tables(script: str) -> dict[str, str]:
    """Character -> sequence of GF 3002 classes, from the package's script (two embedded JSON tables:
    character -> shape letters, and letter -> shape with its name)."""
    tables = [json.loads(found) for found in re.findall(r"JSON\.parse\('(\{.*?\})'\)", script)]
    shapes = next(t for t in tables if all(isinstance(v, dict) and "name" in v for v in t.values()))
    orders = next(t for t in tables if t is not shapes)
    # A letter may stand for two shapes of the same class ("斜钩|卧钩"): the first name decides.
    letter_class = {letter: CLASS_OF_NAME.get(shape["name"].split("|")[0], "5") for letter, shape in shapes.items()}
    return {char: "".join(letter_class[letter] for letter in letters) for char, letters in orders.items()}


def write_table(table: dict[str, str], path: Path = TABLE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The MIT licence asks that the copyright notice travel with the data.
    notice = f"# {PACKAGE}, MIT licence, Copyright (c) 2017 - present theajack\n"
    path.write_text(notice + "".join(f"{char}\t{seq}\n" for char, seq in sorted(table.items())), encoding="utf-8")


def main() -> None:
    if TABLE.exists():
        return
    with tempfile.TemporaryDirectory() as tmp:
        # npm verifies the tarball against the registry's integrity hash.
        subprocess.run(["npm", "pack", PACKAGE, "--silent", "--pack-destination", tmp], check=True,
                       stdout=subprocess.DEVNULL)
        tarball = next(Path(tmp).glob("cnchar-order-*.tgz"))
        with tarfile.open(tarball) as archive:
            script = archive.extractfile("package/cnchar.order.min.js").read().decode("utf-8")
    table = parse_tables(script)
    write_table(table)
    print(f"stroke-order table: {len(table)} characters from {PACKAGE}", file=sys.stderr)


if __name__ == "__main__":
    main()
