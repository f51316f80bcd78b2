"""Surname-stroke order (姓氏笔画) by GF 3002-1999, for ballots and every list posted 按姓氏笔画为序.

Two tables, both installed by .ci/setup and read once per process; nothing is fetched at run time:
the stroke sequences of `elections/data/stroke_order.tsv` (built by `elections/strokes_build.py`) and,
for characters that table lacks, the stroke counts of Unicode's Unihan database (kTotalStrokes, Debian's
`unicode-data` package).
"""

import bz2
import functools
import zipfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .strokes_build import TABLE

UNIHAN_DIR = Path("/usr/share/unicode")
# Unicode 15 keeps kTotalStrokes in IRGSources; older releases shipped everything in Unihan.zip.
SOURCES = [UNIHAN_DIR / "Unihan_IRGSources.txt.bz2", UNIHAN_DIR / "Unihan.zip"]


def _lines():
    for source in SOURCES:
        if source.name.endswith(".bz2") and source.exists():
            with bz2.open(source, "rt", encoding="utf-8") as handle:
                yield from handle
            return
        if source.suffix == ".zip" and source.exists():
            with zipfile.ZipFile(source) as archive:
                for name in archive.namelist():
                    with archive.open(name) as handle:
                        for raw in handle:
                            yield raw.decode("utf-8")
            return
    raise ImproperlyConfigured("Unihan data missing: install Debian's unicode-data package (.ci/setup does)")


@functools.cache
def stroke_table() -> dict[str, int]:
    table = {}
    for line in _lines():
        if "\tkTotalStrokes\t" not in line:
            continue
        code, _field, value = line.rstrip("\n").split("\t")
        # The first value is the count for the simplified (zh-Hans) form when the two differ.
        table[chr(int(code[2:], 16))] = int(value.split()[0])
    return table


@functools.cache
def sequence_table() -> dict[str, str]:
    """Character -> its strokes in writing order, each as its class 1 横 2 竖 3 撇 4 点 5 折."""
    if not TABLE.exists():
        raise ImproperlyConfigured("stroke-order table missing: run `python -m elections.strokes_build` "
                                   "(.ci/setup does)")
    with TABLE.open(encoding="utf-8") as handle:
        return dict(line.rstrip("\n").split("\t") for line in handle if not line.startswith("#"))


def strokes(char: str) -> int:
    """Total strokes of one character; characters outside both tables (letters, digits) sort after all Han."""
    sequence = sequence_table().get(char)
    return len(sequence) if sequence else stroke_table().get(char, 999)


def char_key(char: str) -> tuple[int, str]:
    """Total strokes, then the stroke sequence compared stroke by stroke (横 竖 撇 点 折). A character with a
    count but no known sequence comes after the known ones of its count ("6" sorts after every class)."""
    sequence = sequence_table().get(char)
    if sequence:
        return (len(sequence), sequence)
    return (stroke_table().get(char, 999), "6")


def ballot_key(name: str) -> tuple:
    """Surname-stroke order of a name: character by character by `char_key`; a name that is the start of
    a longer one comes first (王一 before 王一平). The name as written ends the key only so that two
    characters of identical count and sequence (己 已) still sort the same way every time."""
    name = name.strip()
    if not name:
        return (((999, "6"),), name)
    return (tuple(char_key(c) for c in name), name)
