"""Fingerprints of what a stored record was computed with, to notice when workflows.yaml changes.

A deadline's fingerprint covers every field of its rule that decides a date or a status
(period, anchor, condition, validity window, `verified`, alternatives, ...) and the calendar it
is counted in; wording (labels, notes, the legal basis) is left out. A route's version covers
its stages and transitions, so a proceeding knows which shape of its route it runs on.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from typing import Any

from .spec import CalendarSpec, DeadlineRule, Route

# Fields that change what a person reads, never a date or a status.
WORDING = frozenset(
    {"label", "note", "legal_basis", "legal_basis_ru", "line", "copied_from", "source", "reason"}
)


def _plain(value: Any) -> Any:
    """A JSON-ready form of spec values (dataclasses, dates, enums, tuples)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in WORDING
        }
    if isinstance(value, tuple | list | frozenset | set):
        items = [_plain(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, frozenset | set) else items
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in sorted(value.items())}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def _digest(data: Any, size: int) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:size]


@functools.lru_cache(maxsize=4096)  # spec objects are frozen: one hash per rule and calendar
def rule_fingerprint(rule: DeadlineRule, calendar: CalendarSpec | None) -> str:
    """What a deadline computed from `rule` in `calendar` depends on, as a short hash."""
    return _digest({"rule": _plain(rule), "calendar": _plain(calendar)}, 32)


def route_version(route: Route) -> str:
    """The shape of a route: its stages and its transitions (trigger, sources, destination)."""
    shape = {
        "stages": [stage.id for stage in route.stages],
        "transitions": [[t.trigger, sorted(t.sources), t.dest] for t in route.transitions],
    }
    return _digest(shape, 12)
