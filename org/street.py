"""The street's figures on the street staff's start page: each app registers what it contributes.

Apps stand above org, so they register from their AppConfig.ready() and org never imports them
(docs/architecture.md, Floors). Two kinds of contribution:

- a *section* (the registry of the street, the election summary): a partial template, included by the page
  and by the street PDF, with its context;
- *compliance columns* (规范运行): cells per community, so that meetings (committee), disclosure (disclosure)
  and mailbox answers (committee) stand in one row per community, late ones marked.

Every provider works on all the given communities at once, in a fixed number of queries.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    title: str
    template: str  # partial (templates/<app>/_street_*.html), plain tables and SVG: the PDF prints it too
    context: dict
    order: int = 50


@dataclass(frozen=True)
class Cell:
    text: str
    late: bool = False  # shown in red: something due was not done in time


@dataclass(frozen=True)
class Column:
    header: str
    cells: dict[int, Cell]  # community id → cell
    total: Cell
    note: str = ""  # the rule the column checks, under the table


@dataclass(frozen=True)
class Compliance:
    columns: list[Column] = field(default_factory=list)
    charts: list = field(default_factory=list)  # SVG (lib/charts.py)
    order: int = 50

    def rows(self, communities) -> list[tuple]:
        """(community, [its cell in each column]) in the order of `communities`."""
        return [(c, [column.cells.get(c.pk, Cell(text="—")) for column in self.columns]) for c in communities]


SectionProvider = Callable[..., Section | None]
ComplianceProvider = Callable[..., Compliance]
_sections: list[SectionProvider] = []
_compliance: list[ComplianceProvider] = []


def register_section(provider: SectionProvider) -> SectionProvider:
    """Add `provider(*, communities, year, today) -> Section | None`."""
    if provider not in _sections:
        _sections.append(provider)
    return provider


def register_compliance(provider: ComplianceProvider) -> ComplianceProvider:
    """Add `provider(*, communities, year, today) -> Compliance`."""
    if provider not in _compliance:
        _compliance.append(provider)
    return provider


def sections_for(*, communities, year: int, today: datetime.date) -> list[Section]:
    found = [provider(communities=communities, year=year, today=today) for provider in _sections]
    return sorted((s for s in found if s is not None), key=lambda s: s.order)


def compliance_for(*, communities, year: int, today: datetime.date) -> Compliance:
    """All providers' columns and charts, merged in their order."""
    parts = sorted((provider(communities=communities, year=year, today=today) for provider in _compliance),
                   key=lambda c: c.order)
    return Compliance(columns=[c for p in parts for c in p.columns], charts=[c for p in parts for c in p.charts])
