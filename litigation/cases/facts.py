"""Checking and normalising the facts a lawyer records with an event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import InvalidInput, msg
from ..workflows.spec import FactSpec, FactType, WorkflowSet
from .history import EARLIEST_EVENT


def normalise_facts(
    workflows: WorkflowSet,
    facts: Mapping[str, Any],
    *,
    required: Iterable[str],
    allowed: Iterable[str],
    today: dt.date,
) -> dict[str, Any]:
    """JSON-ready facts (dates as ISO text); raise InvalidInput naming every bad field."""
    allowed = set(allowed)
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, value in facts.items():
        if name not in allowed:
            errors[name] = msg("This step does not record this fact.")
            continue
        if value in (None, ""):
            continue
        spec = workflows.facts[name]
        try:
            clean[name] = _normalise(spec, value, today)
        except ValueError as error:
            errors[name] = error.args[0]
    for name in required:
        if name not in clean and name not in errors:
            errors[name] = msg("Required.")
    if errors:
        raise InvalidInput(errors)
    return clean


def _normalise(spec: FactSpec, value: Any, today: dt.date) -> Any:
    if spec.type is FactType.DATE:
        day = value if isinstance(value, dt.date) else _parse_date(value)
        if day > today:
            raise ValueError(msg("A date of something that happened cannot be in the future."))
        if day < EARLIEST_EVENT:
            raise ValueError(msg("A date before 1991 is not plausible here: check the year."))
        return day.isoformat()
    if spec.type is FactType.BOOL:
        if isinstance(value, bool):
            return value
        raise ValueError(msg("Answer yes or no."))
    if spec.type is FactType.CHOICE and value not in spec.choices:
        raise ValueError(msg("Choose one of: %(choices)s.", choices=", ".join(spec.choices)))
    return str(value).strip()


def _parse_date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(msg("%(value)s is not a date (YYYY-MM-DD).", value=value)) from None
