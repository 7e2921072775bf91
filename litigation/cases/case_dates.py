"""The dates of a case record itself: the incident and the forensic examination.

An incident in the future, an examination dated but not marked done, an examination before the
incident, or an incident after a date its routes recorded as following it (a report is not
made before the torture it reports) is refused, each beside its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import InvalidInput, msg
from ..models import Proceeding
from ..workflows.engine import current_facts
from ..workflows.loaded import Registry
from ..workflows.order import order_problems
from ..workflows.spec import INCIDENT
from .history import EARLIEST_EVENT, effective_history


def check_case_dates(
    details: Mapping[str, Any],
    *,
    today: dt.date | None,
    registry: Registry | None = None,
    proceedings: Iterable[Proceeding] = (),
) -> None:
    """Refuse impossible case dates; with the registry, an incident after a date the case's
    routes recorded that may not precede it."""
    errors: dict[str, str] = {}
    incident = details.get("incident_date")
    exam = details.get("forensic_exam_on")
    for name, day in (("incident_date", incident), ("forensic_exam_on", exam)):
        if day is None:
            continue
        if today is not None and day > today:
            errors[name] = msg("A date of something that happened cannot be in the future.")
        elif day < EARLIEST_EVENT:
            errors[name] = msg("A date before 1991 is not plausible here: check the year.")
    if exam is not None and not details.get("forensic_exam_done"):
        errors.setdefault(
            "forensic_exam_on",
            msg(
                "A date of the examination is given but the examination is not marked as done: "
                "tick «done», or clear the date."
            ),
        )
    if exam is not None and incident is not None and exam < incident:
        errors.setdefault(
            "forensic_exam_on",
            msg(
                "The examination (%(exam)s) cannot be before the incident (%(incident)s).",
                exam=exam,
                incident=incident,
            ),
        )
    if incident is not None and registry is not None and "incident_date" not in errors:
        problem = _recorded_before(registry, incident, proceedings)
        if problem:
            errors["incident_date"] = problem
    if errors:
        raise InvalidInput(errors)


def _recorded_before(
    registry: Registry, incident: dt.date, proceedings: Iterable[Proceeding]
) -> str | None:
    """A date a route recorded that may not precede the incident, and does."""
    for proceeding in proceedings:
        if proceeding.route not in registry.workflows.routes:
            continue
        facts = current_facts(registry.workflows, effective_history(proceeding))
        for problem in order_problems(registry.workflows, facts, incident_on=incident):
            if problem.earlier == INCIDENT:
                return msg(
                    "The incident (%(incident)s) cannot be after «%(fact)s» (%(date)s), "
                    "recorded in the route «%(route)s».",
                    incident=incident,
                    fact=problem.later_label,
                    date=problem.later_on,
                    route=registry.route(proceeding.route).title,
                )
    return None
