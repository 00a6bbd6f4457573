"""Small charts as inline SVG, drawn on the server: no JavaScript, no chart library.

The staff overview needs a handful of simple figures, and the staff pages forbid inline
and third-party scripts (strict CSP), so each chart is a pure function from numbers to
SVG markup. Every chart is an `img` for assistive technology, named by its `<title>`
and described in words by its `<desc>` (the numbers in a sentence); the page adds a
visually hidden table with the numbers. Colours come from CSS classes (the stylesheet),
not inline styles. All text is escaped, so a label can never become markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 480
WIDE = 960
COLUMN_HEIGHT = 220
ROW_HEIGHT = 24
LABEL_WIDTH = 190
MAX_LABEL_CHARS = 26
AXIS_LABELS = 6


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `value` (an axis maximum)."""
    ceiling = 1
    while True:
        for step in (1, 2, 5):
            if step * ceiling >= value:
                return step * ceiling
        ceiling *= 10


def column_chart(
    chart_id: str, title: str, points: Sequence[tuple[str, int]], unit: str = "days",
    height: int = COLUMN_HEIGHT,
) -> Markup:
    """Vertical bars, one per point (e.g. conversations per day), with a 0..max axis."""
    top, bottom, left, right = 16, 28, 40, 8
    plot_w, plot_h = WIDE - left - right, height - top - bottom
    if not points:
        return _svg(chart_id, title, "No data in this period.", height, [_empty(WIDE)], WIDE)
    body: list[str] = []
    peak = nice_ceiling(max(value for _, value in points))
    slot = plot_w / len(points)
    gap = min(2.0, slot / 4)
    for label in (0, peak):
        y = top + plot_h - plot_h * label / peak
        body.append(f'<line class="grid" x1="{left}" x2="{WIDE - right}" y1="{y:.1f}" '
                    f'y2="{y:.1f}"/>')
        body.append(f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" '
                    f'text-anchor="end">{label}</text>')
    for index, (label, value) in enumerate(points):
        bar = plot_h * value / peak
        x = left + index * slot + gap / 2
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - bar:.1f}" '
            f'width="{max(slot - gap, 0.5):.1f}" height="{bar:.1f}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
    positions = _label_positions(len(points))
    for index in positions:
        x, anchor = left + (index + 0.5) * slot, "middle"
        if len(positions) > 1 and index in (positions[0], positions[-1]):
            x, anchor = (left, "start") if index == positions[0] else (WIDE - right, "end")
        body.append(f'<text class="axis" x="{x:.1f}" y="{height - 8}" '
                    f'text-anchor="{anchor}">{escape(points[index][0])}</text>')
    busiest = max(points, key=lambda point: point[1])
    total = sum(value for _, value in points)
    summary = (f"{total} in total over {len(points)} {unit}, from {points[0][0]} to "
               f"{points[-1][0]}; highest {busiest[1]} on {busiest[0]}.")
    return _svg(chart_id, title, summary, height, body, WIDE)


def bar_list(chart_id: str, title: str, items: Sequence[tuple[str, int]]) -> Markup:
    """Horizontal bars with their labels, in the order given (e.g. outcomes, topics)."""
    if not items:
        return _svg(chart_id, title, "No data in this period.", 80, [_empty(WIDTH)])
    height = ROW_HEIGHT * len(items) + 8
    peak = max(max(value for _, value in items), 1)
    bar_space = WIDTH - LABEL_WIDTH - 50
    body: list[str] = []
    for index, (label, value) in enumerate(items):
        y = 4 + index * ROW_HEIGHT
        width = bar_space * value / peak
        shown = label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"
        body.append(f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + 16}" '
                    f'text-anchor="end">{escape(shown)}</text>')
        body.append(f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{width:.1f}" '
                    f'height="{ROW_HEIGHT - 8}"><title>{escape(label)}: {value}</title></rect>')
        body.append(f'<text class="value" x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 16}">'
                    f"{value}</text>")
    summary = "; ".join(f"{label}: {value}" for label, value in items) + "."
    return _svg(chart_id, title, summary, height, body)


def rate_meter(chart_id: str, title: str, rate: float) -> Markup:
    """One share (0..1) as a filled bar with its percentage, e.g. the fallback rate."""
    share = min(max(rate, 0.0), 1.0)
    percent = f"{share * 100:.1f} %"
    track = WIDTH - 100
    body = [
        f'<rect class="track" x="0" y="8" width="{track}" height="24" rx="4"/>',
        f'<rect class="bar" x="0" y="8" width="{track * share:.1f}" height="24" rx="4"/>',
        f'<text class="figure" x="{track + 12}" y="27">{percent}</text>',
    ]
    return _svg(chart_id, title, f"{percent}.", 40, body)


def _label_positions(count: int) -> list[int]:
    """Indexes of the points whose labels fit under a column chart (first and last always)."""
    if count <= AXIS_LABELS:
        return list(range(count))
    step = (count - 1) / (AXIS_LABELS - 1)
    return sorted({round(i * step) for i in range(AXIS_LABELS)})


def _empty(width: int) -> str:
    return f'<text class="empty" x="{width // 2}" y="40" text-anchor="middle">No data</text>'


def _svg(
    chart_id: str, title: str, summary: str, height: int, body: list[str], width: int = WIDTH
) -> Markup:
    cid = escape(chart_id)
    return Markup(
        f'<svg class="chart" id="{cid}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{cid}-title" aria-describedby="{cid}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(summary)}</desc>'
        + "".join(body)
        + "</svg>"
    )
