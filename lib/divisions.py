"""Administrative division codes (GB/T 2260), the first six digits of a resident ID number.

The table is python-stdnum's `cn/loc` (every code since 1980 with the years it was in use, taken from the
lists of 中华人民共和国行政区划代码). A code counts here if it ever existed: a division abolished since keeps the
numbers it issued (docs/domain.md, ID numbers), and a person's number need not have been issued in their birth
year, so the years of a code are not compared with anything.
"""

from functools import cache

from stdnum import numdb


@cache
def division_codes() -> tuple[str, ...]:
    """Every code of the table, in order (also for demo data and tests that need many real ones)."""
    return tuple(f"{province}{county}"
                 for _length, province, _high, _props, counties in numdb.get("cn/loc").prefixes
                 for _l, county, _h, props, _children in counties if "county" in props)


@cache
def _known() -> tuple[frozenset[str], frozenset[str]]:
    codes = division_codes()
    return frozenset(codes), frozenset(code[:2] for code in codes)


def province_known(code: str) -> bool:
    """Whether the first two digits of `code` are a province-level code."""
    return code[:2] in _known()[1]


def division_known(code: str) -> bool:
    """Whether the six-digit `code` is, or was, a division code."""
    return code in _known()[0]
