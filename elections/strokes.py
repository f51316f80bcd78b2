"""Stroke counts of Chinese characters from Unicode's Unihan database (kTotalStrokes), for ballot order.

The data comes from Debian's `unicode-data` package (installed by .ci/setup), read once per process
and kept in memory; nothing is fetched at run time.
"""

import bz2
import functools
import zipfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

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


def strokes(char: str) -> int:
    """Total strokes of one character; characters outside Unihan (letters, digits) sort after all Han."""
    return stroke_table().get(char, 999)


def ballot_key(name: str) -> tuple:
    """Order on the ballot: strokes of the surname, then the surname itself (so that equal surnames group),
    then the strokes of each further character, then the name as written."""
    name = name.strip()
    if not name:
        return (999,)
    surname, rest = name[0], name[1:]
    return (strokes(surname), surname, tuple(strokes(c) for c in rest), name)
