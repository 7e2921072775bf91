"""A route's state machine drawn as inline SVG by the server: no JavaScript, no external assets.

Stages are laid out in rows by their distance from the initial stage; forward transitions
are straight arrows, transitions back to an earlier row are dashed curves.
"""

from __future__ import annotations

import textwrap
from collections import deque
from functools import lru_cache
from html import escape

from flask_babel import gettext

from ..workflows.spec import Route

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 170, 46, 24, 48, 12
LINE_CHARS = 24
CATCH_ALL = 4  # a closing step from this many stages (close, withdraw) is drawn as a note


def _is_catch_all(transition, route: Route) -> bool:
    if transition.from_any:
        return True
    return len(transition.sources) >= CATCH_ALL and route.stage(transition.dest).final


def _levels(route: Route) -> dict[str, int]:
    """Rows by distance from the initial stage; final stages go in the last row."""
    level = {route.initial: 0}
    queue = deque([route.initial])
    while queue:
        stage = queue.popleft()
        for transition in route.transitions_from(stage):
            if _is_catch_all(transition, route):
                continue
            if transition.dest not in level:
                level[transition.dest] = level[stage] + 1
                queue.append(transition.dest)
    deepest = max((lv for sid, lv in level.items() if not route.stage(sid).final), default=0)
    return {s.id: deepest + 1 if s.final else level.get(s.id, deepest + 1) for s in route.stages}


def _positions(route: Route) -> tuple[dict[str, tuple[int, int]], int, int]:
    levels = _levels(route)
    rows: dict[int, list[str]] = {}
    for stage in route.stages:
        rows.setdefault(levels[stage.id], []).append(stage.id)
    widest = max(len(r) for r in rows.values())
    width = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X
    positions = {}
    for row, stages in rows.items():
        row_width = len(stages) * BOX_W + (len(stages) - 1) * GAP_X
        left = (width - row_width) // 2
        for index, stage_id in enumerate(stages):
            positions[stage_id] = (left + index * (BOX_W + GAP_X), MARGIN + row * (BOX_H + GAP_Y))
    height = MARGIN * 2 + len(rows) * BOX_H + (len(rows) - 1) * GAP_Y + 18  # room for notes
    return positions, width, height


def _edge(source: tuple[int, int], dest: tuple[int, int]) -> str:
    sx, sy = source
    dx, dy = dest
    if dy > sy:
        return (
            f'<line class="edge" x1="{sx + BOX_W // 2}" y1="{sy + BOX_H}" '
            f'x2="{dx + BOX_W // 2}" y2="{dy - 2}" marker-end="url(#arrow)"/>'
        )
    # Back or sideways: a dashed curve around the right edges of both boxes.
    x1, y1, x2, y2 = sx + BOX_W, sy + BOX_H // 2, dx + BOX_W, dy + BOX_H // 2
    bulge = max(x1, x2) + 30
    return (
        f'<path class="edge back" d="M{x1},{y1} C{bulge},{y1} {bulge},{y2} {x2 + 2},{y2}" '
        f'marker-end="url(#arrow)"/>'
    )


def _box(stage, x: int, y: int, lang: str, current: bool) -> str:
    label = stage.label.get(lang)
    lines = textwrap.wrap(label, LINE_CHARS)[:2] or [label]
    classes = "stage" + (" current" if current else "") + (" final" if stage.final else "")
    text_y = y + BOX_H // 2 - (len(lines) - 1) * 7 + 4
    spans = "".join(
        f'<tspan x="{x + BOX_W // 2}" y="{text_y + i * 14}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<g class="{classes}" id="stage-{escape(stage.id)}"><title>{escape(label)}</title>'
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8"/>'
        f'<text text-anchor="middle">{spans}</text></g>'
    )


def _catch_all_note(route: Route, positions: dict[str, tuple[int, int]], lang: str) -> list[str]:
    """Under each stage that many stages lead to, the step that leads there from anywhere."""
    notes = []
    for transition in route.transitions:
        if _is_catch_all(transition, route) and transition.dest in positions:
            x, y = positions[transition.dest]
            text = gettext("from any stage: %(step)s", step=transition.label.get(lang))
            notes.append(
                f'<text class="note" x="{x + BOX_W // 2}" y="{y + BOX_H + 14}" '
                f'text-anchor="middle">{escape(text)}</text>'
            )
    return notes


@lru_cache(maxsize=256)
def route_svg(route: Route, current: str | None, lang: str) -> str:
    """The route as SVG, `current` highlighted (cached: routes never change while running)."""
    positions, width, height = _positions(route)
    edges = {
        (s, t.dest)
        for t in route.transitions
        if not _is_catch_all(t, route)
        for s in t.sources
        if s in positions
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="route-diagram" '
        f'viewBox="0 0 {width + 40} {height}" role="img" '
        f'aria-label="{escape(route.title.get(lang))}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    parts.extend(_edge(positions[s], positions[d]) for s, d in sorted(edges) if d in positions)
    parts.extend(
        _box(stage, *positions[stage.id], lang, stage.id == current) for stage in route.stages
    )
    parts.extend(_catch_all_note(route, positions, lang))
    parts.append("</svg>")
    return "".join(parts)
