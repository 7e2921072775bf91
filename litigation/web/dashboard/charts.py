"""Charts as inline SVG drawn on the server: readable without JavaScript, no external assets.

Pure functions from numbers to markup; every label is escaped. Colours are presentation
attributes (the CSP forbids inline styles), and each chart carries a <title> for screen readers.

Drawn 400 units wide, they shrink to a 390 px phone's 358 px of content at most by a tenth:
13-unit text is read at about 11.6 px there, and at 13 px on a wider screen. Labels go above
their bars, so that a long stage name needs no column of its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#1f5f99", "#a4262c", "#2f6f3e", "#8a5a00")
MUTED = "#5b6670"
WIDTH = 400
FONT = 13
LINE = 17  # one line of 13-unit text
BAR = 14
MAX_LABEL = 52  # about 7.3 units a character at 13 units: fits WIDTH
MAX_TICKS = 4
MAX_X_LABELS = 4  # "нояб. 2026" is about 70 units wide

Bar = tuple[str, float] | tuple[str, str, float]  # (label, value) or (label, note, value)


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _svg(width: int, height: int, css: str, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="{FONT}" fill="#1d232a">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, text: str, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{round(x)}" y="{round(y)}"{extra}>{escape(text)}</text>'


def bars(items: Sequence[Bar], title: str) -> Markup:
    """Horizontal bars, one per item, longest for the largest value; each bar's label (and
    note, a second line in grey) above it, its value after it."""
    largest = max((item[-1] for item in items), default=0) or 1
    room = WIDTH - 48  # the value's digits fit after the longest bar
    body, y = [], 0
    for item in items:
        label, note, value = (item[0], None, item[1]) if len(item) == 2 else item
        row = [_text(0, y + FONT, _short(label))]
        y += LINE
        if note:
            row.append(_text(0, y + FONT, _short(note), fill=MUTED))
            y += LINE
        length = max(round(room * value / largest), 1 if value else 0)
        row.append(
            f'<rect class="bar" x="0" y="{y + 2}" width="{length}" height="{BAR}" '
            f'fill="{PALETTE[0]}"/>'
        )
        row.append(_text(length + 6, y + BAR, _number(value)))
        full = f"{label} ({note})" if note else label
        body.append(
            f'<g class="bar-row"><title>{escape(full)}: {_number(value)}</title>{"".join(row)}</g>'
        )
        y += BAR + 12
    return _svg(WIDTH, max(y, LINE), "bars", title, body)


def count_ticks(largest: float) -> list[int]:
    """Whole-number ticks from 0 for counts up to `largest`, at most MAX_TICKS steps of
    1, 2 or 5 times a power of ten: never 67.5 people."""
    largest = max(math.ceil(largest), 1)
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if math.ceil(largest / step) <= MAX_TICKS:
                return list(range(0, step * math.ceil(largest / step) + 1, step))
        power *= 10


Series = Sequence[tuple[str, Sequence[float]]]


def line(labels: Sequence[str], series: Series, title: str) -> Markup:
    """One line per (name, counts) over the same x labels (e.g. months), with a legend
    above (one line per series) and whole-number ticks."""
    left, right = 40, WIDTH - 34  # room for half a month's name at either end
    top = len(series) * LINE + 12
    bottom = top + 150
    ticks = count_ticks(max((v for _name, values in series for v in values), default=0))
    highest = ticks[-1]
    step = (right - left) / max(len(labels) - 1, 1)
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    body = []
    for number, (name, _values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        y = number * LINE + 4
        body.append(f'<rect x="0" y="{y}" width="12" height="12" fill="{colour}"/>')
        body.append(_text(18, y + 11, name))
    for tick in ticks:
        y = round(bottom - (bottom - top) * tick / highest)
        body.append(
            f'<line class="grid" x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="#d5dbe0"/>'
        )
        body.append(_text(left - 6, y + 4, str(tick), text_anchor="end"))
    for index, label in enumerate(labels):
        if index % every == 0:
            x = left + index * step
            body.append(_text(x, bottom + LINE, label, text_anchor="middle"))
    for number, (name, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = [
            (round(left + i * step), round(bottom - (bottom - top) * v / highest))
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
    return _svg(WIDTH, bottom + LINE + 8, "line", title, body)
