"""Checks of a route's deadline rules and trigger names, for validate.py.

Each function yields (line, message) pairs; validate.py adds the file of the route.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from itertools import combinations

from .engine import RESERVED_TRIGGERS
from .spec import STAGE_ENTERED, DeadlineRule, FactType, Route, Stage, WorkflowSet

# machine.Walker has `state` and `context`; transitions binds `trigger`, `may_trigger`, and for
# each trigger and stage `may_<trigger>`, `is_<stage>` (and `to_<stage>` with auto transitions)
# on it. A trigger with one of these names would shadow or be shadowed by the Machine's own.
MACHINE_NAMES = frozenset({"state", "context", "trigger", "may_trigger"})
MACHINE_PREFIXES = ("may_", "to_", "is_")
_TRIGGER_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def trigger_name_message(trigger: str) -> str | None:
    """Why `trigger` may not name a transition, or None if it may."""
    if not _TRIGGER_NAME.match(trigger):
        return (
            f"{trigger!r} is not a trigger name: use lower-case letters, digits and '_', "
            "starting with a letter"
        )
    if trigger in RESERVED_TRIGGERS:
        return f"{trigger!r} is the name of an event the engine records itself; rename it"
    if trigger in MACHINE_NAMES or trigger.startswith(MACHINE_PREFIXES):
        return (
            f"{trigger!r} would clash with a name the state machine gives its model "
            f"({', '.join(sorted(MACHINE_NAMES))}, or starting with "
            f"{', '.join(MACHINE_PREFIXES)}); rename it"
        )
    return None


def _known(workflows: WorkflowSet) -> str:
    return f" (known: {', '.join(sorted(workflows.calendars)) or 'none declared'})"


def rule_messages(
    workflows: WorkflowSet, route: Route, stage: Stage, recorded: set[str]
) -> Iterator[tuple[int, str]]:
    """Problems of the deadline rules of `stage`; `recorded`: facts the route can have."""
    leaving = [t.trigger for t in route.transitions_from(stage.id)]
    for rule in stage.deadlines:
        where = f"route {route.id!r}, stage {stage.id!r}, deadline {rule.name!r}"
        if not (rule.legal_basis.ru.strip() or rule.legal_basis.en.strip()):
            yield rule.line, f"{where}: no legal_basis (cite the article)"
        if rule.calendar is not None and rule.calendar not in workflows.calendars:
            yield rule.line, f"{where}: unknown calendar {rule.calendar!r}{_known(workflows)}"
        if rule.anchor != STAGE_ENTERED:
            yield from _anchor_messages(workflows, rule, where, recorded)
        yield from _trigger_list_messages(rule, stage, where, leaving)
        if rule.valid_from and rule.valid_to and rule.valid_from > rule.valid_to:
            yield rule.line, f"{where}: valid_from is after valid_to"
        yield from _when_messages(workflows, rule, where, recorded)
        yield from _superseded_messages(workflows, rule, where, recorded)
    yield from _overlapping_versions(route, stage)


def _superseded_messages(
    workflows: WorkflowSet, rule: DeadlineRule, where: str, recorded: set[str]
) -> Iterator[tuple[int, str]]:
    """superseded_by names date facts the route records, other than the rule's own anchor."""
    for name in rule.superseded_by:
        fact = workflows.facts.get(name)
        if fact is None or fact.type is not FactType.DATE:
            yield rule.line, f"{where}: superseded_by {name!r} is not a date fact"
        elif name not in recorded:
            yield rule.line, f"{where}: superseded_by {name!r} is recorded by no transition"
        elif name == rule.anchor:
            yield rule.line, f"{where}: superseded_by {name!r} is its own anchor"


def _trigger_list_messages(
    rule: DeadlineRule, stage: Stage, where: str, leaving: list[str]
) -> Iterator[tuple[int, str]]:
    """met_by, cancelled_by and continues_through name steps leaving the stage, once each."""
    lists = {
        "met_by": rule.met_by,
        "cancelled_by": rule.cancelled_by,
        "continues_through": rule.continues_through,
    }
    for key, triggers in lists.items():
        for trigger in triggers:
            if trigger not in leaving:
                yield (
                    rule.line,
                    f"{where}: {key} {trigger!r} is not a transition leaving {stage.id!r} "
                    f"(leaving it: {', '.join(leaving) or 'none'})",
                )
    for trigger in rule.continues_through:
        also = [key for key in ("met_by", "cancelled_by") if trigger in lists[key]]
        if also:
            yield rule.line, f"{where}: {trigger!r} is in continues_through and in {also[0]}"


def _anchor_messages(
    workflows: WorkflowSet, rule: DeadlineRule, where: str, recorded: set[str]
) -> Iterator[tuple[int, str]]:
    fact = workflows.facts.get(rule.anchor)
    if fact is None:
        yield rule.line, f"{where}: anchor {rule.anchor!r} is not a declared fact"
    elif fact.type is not FactType.DATE:
        yield rule.line, f"{where}: anchor {rule.anchor!r} is not a date fact"
    elif rule.anchor not in recorded:
        yield rule.line, f"{where}: anchor {rule.anchor!r} is recorded by no transition"


def _when_messages(
    workflows: WorkflowSet, rule: DeadlineRule, where: str, recorded: set[str]
) -> Iterator[tuple[int, str]]:
    """`when` names choice facts the route records, with values among their choices."""
    for name, values in rule.when:
        fact = workflows.facts.get(name)
        if fact is None:
            close = difflib.get_close_matches(name, workflows.facts, n=1)
            hint = f", did you mean {close[0]!r}?" if close else ""
            yield rule.line, f"{where}: when: unknown fact {name!r}{hint}"
        elif fact.type is not FactType.CHOICE:
            yield (
                rule.line,
                f"{where}: when: {name!r} is a {fact.type.value} fact; "
                "a condition needs a choice fact",
            )
        else:
            for value in values:
                if value not in fact.choices:
                    yield (
                        rule.line,
                        f"{where}: when {name}: {value!r} is not one of: {', '.join(fact.choices)}",
                    )
            if name not in recorded:
                yield rule.line, f"{where}: when: {name!r} is recorded by no transition"


def _overlapping_versions(route: Route, stage: Stage) -> Iterator[tuple[int, str]]:
    by_name: dict[str, list[DeadlineRule]] = {}
    for rule in stage.deadlines:
        by_name.setdefault(rule.name, []).append(rule)
    for name, versions in by_name.items():
        # Compare every pair, not neighbours: versions may be declared in any order.
        for first, second in combinations(versions, 2):
            if _overlap(first, second) and _conditions_overlap(first, second):
                yield (
                    second.line,
                    (
                        f"route {route.id!r}, stage {stage.id!r}: versions of deadline {name!r} "
                        f"on lines {first.line} and {second.line} both apply "
                        f"{_overlap_text(first, second)}; end one with valid_to "
                        "before the other's valid_from"
                        + (
                            ", or give them `when` values that exclude each other"
                            if first.when or second.when
                            else ""
                        )
                    ),
                )


def _in_force(rule: DeadlineRule) -> tuple[dt.date, dt.date]:
    """The first and last day a rule version applies; an open end is unbounded."""
    return rule.valid_from or dt.date.min, rule.valid_to or dt.date.max


def _overlap(first: DeadlineRule, second: DeadlineRule) -> bool:
    (first_from, first_to), (second_from, second_to) = _in_force(first), _in_force(second)
    return first_from <= second_to and second_from <= first_to


def _conditions_overlap(first: DeadlineRule, second: DeadlineRule) -> bool:
    """Whether some recorded facts could meet both versions' `when`."""
    second_when = dict(second.when)
    return all(
        set(values) & set(second_when[fact]) for fact, values in first.when if fact in second_when
    )


def _overlap_text(first: DeadlineRule, second: DeadlineRule) -> str:
    start = max(_in_force(first)[0], _in_force(second)[0])
    end = min(_in_force(first)[1], _in_force(second)[1])
    parts = [
        f"from {start}" if start > dt.date.min else "",
        f"to {end}" if end < dt.date.max else "",
    ]
    return " ".join(part for part in parts if part) or "at all times"
