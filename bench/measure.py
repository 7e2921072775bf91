"""Timing and the floors: what a request costs, and what its bare parts cost on their own.

- database floor: the statements a request issued (captured with a `before_cursor_execute`
  listener), replayed with their parameters on a raw DBAPI connection, then rolled back;
- template floor: the templates it rendered (captured with Flask's `template_rendered`),
  rendered again with `render_template` from the same context, in the same request, once
  everything the first rendering loaded is loaded;
- library floor: icalendar serialising the same calendar, parsed beforehand into objects.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import icalendar
from flask import Flask, render_template, template_rendered
from sqlalchemy import Engine, event

FLOOR_RUNS = 5


def milliseconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def summary(times: list[float]) -> dict[str, float]:
    """p50 and p95 (nearest rank) of times in milliseconds."""
    ordered = sorted(times)
    if not ordered:
        return {"p50": 0.0, "p95": 0.0}
    rank = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return {"p50": round(statistics.median(ordered), 3), "p95": round(ordered[rank], 3)}


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any
    many: bool


@dataclass
class Capture:
    """The statements and templates of the requests made while it is open."""

    engine: Engine
    app: Flask
    statements: list[Statement] = field(default_factory=list)
    template_times: list[float] = field(default_factory=list)
    template_statements: int = 0
    templates: list[str] = field(default_factory=list)
    _rerendering: bool = False

    def __enter__(self) -> Capture:
        event.listen(self.engine, "before_cursor_execute", self._statement)
        template_rendered.connect(self._template, self.app)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        template_rendered.disconnect(self._template, self.app)

    def _statement(self, _conn, _cursor, sql, parameters, _context, executemany) -> None:
        if self._rerendering:
            self.template_statements += 1  # a lazy load the template still makes
            return
        self.statements.append(Statement(sql, parameters, executemany))

    def _template(self, _app, template, context, **_extra) -> None:
        if self._rerendering:
            return
        self._rerendering = True
        try:
            self.templates.append(template.name)
            plain = dict(context)
            times = [
                milliseconds(lambda: render_template(template.name, **plain))
                for _ in range(FLOOR_RUNS)
            ]
            # A page of several templates: their floors add up.
            self.template_times = [
                a + b for a, b in zip(times, self.template_times or [0] * len(times), strict=True)
            ]
        finally:
            self._rerendering = False


def database_floor(engine: Engine, statements: list[Statement]) -> tuple[list[float], int]:
    """Times of replaying `statements` on a raw connection (rolled back), and how many
    failed (a write replayed after the request: a duplicate key, a changed version)."""
    times, failures = [], 0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for _ in range(FLOOR_RUNS):
            started = time.perf_counter()
            for statement in statements:
                failures += _replay(raw, cursor, statement)
            times.append((time.perf_counter() - started) * 1000)
            raw.rollback()
    finally:
        raw.close()
    return times, failures // FLOOR_RUNS


def _replay(raw: Any, cursor: Any, statement: Statement) -> int:
    try:
        if statement.many:
            cursor.executemany(statement.sql, statement.parameters)
        else:
            cursor.execute(statement.sql, statement.parameters)
        if cursor.description is not None:
            cursor.fetchall()
    except Exception:  # the DBAPI's own error classes differ by driver
        raw.rollback()
        return 1
    return 0


def library_floor(body: bytes) -> list[float]:
    """Times of icalendar serialising the calendar in `body`, built beforehand."""
    if not body:
        return []
    calendar = icalendar.Calendar.from_ical(body)
    return [milliseconds(calendar.to_ical) for _ in range(FLOOR_RUNS)]
