"""Charts as inline SVG drawn on the server: readable without JavaScript, no external assets.

Pure functions from numbers to markup; every label is escaped. Colours are presentation
attributes (the CSP forbids inline styles), and each chart carries a <title> for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#1f5f99", "#a4262c", "#2f6f3e", "#8a5a00")
WIDTH = 720
LABEL_WIDTH = 300
ROW = 22
MAX_LABEL = 40  # about 6.5 px a character at 12 px: fits LABEL_WIDTH


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _svg(width: int, height: int, css: str, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12" fill="#1d232a">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bars(items: Sequence[tuple[str, float]], title: str) -> Markup:
    """Horizontal bars, one per (label, value), longest for the largest value."""
    largest = max((value for _label, value in items), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    body = []
    for index, (label, value) in enumerate(items):
        y = index * ROW + 4
        length = round(room * value / largest)
        body.append(
            f'<g class="bar-row"><title>{escape(label)}: {_number(value)}</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">'
            f"{escape(_short(label))}</text>"
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{ROW - 6}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 14}">{_number(value)}</text></g>'
        )
    return _svg(WIDTH, max(len(items), 1) * ROW + 8, "bars", title, body)


def _y_axis(top: int, bottom: int, left: int, largest: float) -> list[str]:
    parts = []
    for fraction in (0, 0.5, 1):
        y = round(bottom - (bottom - top) * fraction)
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y}" x2="{WIDTH - 10}" y2="{y}" '
            f'stroke="#d5dbe0"/><text x="{left - 6}" y="{y + 4}" text-anchor="end">'
            f"{_number(largest * fraction)}</text>"
        )
    return parts


Series = Sequence[tuple[str, Sequence[float]]]


def line(labels: Sequence[str], series: Series, title: str) -> Markup:
    """One line per (name, values) over the same x labels (e.g. months), with a legend."""
    left, top, bottom, height = 44, 30, 200, 236
    largest = max((v for _name, values in series for v in values), default=0) or 1
    step = (WIDTH - left - 40) / max(len(labels) - 1, 1)
    every = max(1, -(-len(labels) // 12))  # at most about twelve x labels
    body = _y_axis(top, bottom, left, largest)
    for index, label in enumerate(labels):
        if index % every == 0:
            x = round(left + index * step)
            body.append(
                f'<text x="{x}" y="{bottom + 18}" text-anchor="middle">{escape(label)}</text>'
            )
    for number, (name, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = [
            (round(left + i * step), round(bottom - (bottom - top) * v / largest))
            for i, v in enumerate(values)
        ]
        path = " ".join(f"{x},{y}" for x, y in points)
        body.append(
            f'<polyline class="series series-{number}" points="{path}" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        body.extend(
            f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"><title>{escape(name)}, '
            f"{escape(labels[i])}: {_number(values[i])}</title></circle>"
            for i, (x, y) in enumerate(points)
        )
        body.append(
            f'<rect x="{left + number * 200}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + number * 200 + 18}" y="15">{escape(name)}</text>'
        )
    return _svg(WIDTH, height, "line", title, body)
