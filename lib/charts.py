"""Charts drawn on the server as inline SVG: readable without JavaScript, printable by WeasyPrint (lib/pdf.py).

Presentation attributes only (fill, stroke), never a style attribute: the pages' CSP allows no inline styles.
Every text is escaped; values are plain numbers.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "Noto Sans CJK SC, Noto Sans CJK, sans-serif"
WIDTH = 640
LABEL_WIDTH = 120
VALUE_WIDTH = 70
ROW = 22
TOP = 8
# A palette that stays apart in grey print: dark, mid, light.
COLOURS = ("#1f5f99", "#e08a2e", "#9bbad6", "#b9b9b9")
LATE = "#c00000"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # in the chart's unit, 0…maximum
    text: str = ""  # what is written after the bar (the value as the page shows it)
    late: bool = False  # drawn red: below the target or late


def _svg(height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" font-size="12" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def _label(y: float, text: str) -> str:
    return (f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW * 0.65:.1f}" text-anchor="end" fill="#222">'
            f"{escape(text)}</text>")


def bar_chart(bars: list[Bar], *, title: str, maximum: float = 100.0, target: float | None = None,
              target_label: str = "") -> SafeString:
    """Horizontal bars, one per row, with an optional target line (e.g. the 85% direct-election share)."""
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + ROW * max(len(bars), 1) + (16 if target is not None else 0)
    body = []
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        length = span * max(0.0, min(bar.value, maximum)) / maximum if maximum else 0
        colour = LATE if bar.late else COLOURS[0]
        body.append(_label(y, bar.label))
        body.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 8}" fill="{colour}"/>')
        body.append(f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + ROW * 0.65:.1f}" '
                    f'fill="{LATE if bar.late else "#222"}">{escape(bar.text)}</text>')
    if target is not None and maximum:
        x = LABEL_WIDTH + span * target / maximum
        bottom = TOP + ROW * max(len(bars), 1)
        body.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}" stroke="{LATE}" '
                    f'stroke-dasharray="4 3"/>')
        body.append(f'<text x="{x:.1f}" y="{bottom + 13}" text-anchor="middle" fill="{LATE}">'
                    f"{escape(target_label)}</text>")
    return _svg(height, title, body)


def stacked_chart(rows: list[tuple[str, list[int]]], *, parts: list[str], title: str) -> SafeString:
    """One bar per row split into `parts` (e.g. 女 / 男), each part's width its share of the row's total,
    with a legend underneath. Counts are written inside parts wide enough to hold them."""
    span = WIDTH - LABEL_WIDTH - 10
    height = TOP * 2 + ROW * max(len(rows), 1) + 20
    body = []
    for i, (label, counts) in enumerate(rows):
        y = TOP + i * ROW
        body.append(_label(y, label))
        total = sum(counts)
        x = float(LABEL_WIDTH)
        for n, count in enumerate(counts):
            if not total or not count:
                continue
            width = span * count / total
            body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="{ROW - 8}" '
                        f'fill="{COLOURS[n % len(COLOURS)]}"/>')
            if width >= 18:
                ink = "#fff" if n % len(COLOURS) == 0 else "#000"
                body.append(f'<text x="{x + width / 2:.1f}" y="{y + ROW * 0.65:.1f}" text-anchor="middle" '
                            f'fill="{ink}">{count}</text>')
            x += width
    legend_y = TOP + ROW * max(len(rows), 1) + 6
    x = LABEL_WIDTH
    for n, part in enumerate(parts):
        body.append(f'<rect x="{x}" y="{legend_y}" width="10" height="10" fill="{COLOURS[n % len(COLOURS)]}"/>')
        body.append(f'<text x="{x + 14}" y="{legend_y + 9}" fill="#222">{escape(part)}</text>')
        x += 28 + 13 * len(part)
    return _svg(height, title, body)
