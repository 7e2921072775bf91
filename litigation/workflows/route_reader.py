"""One route of workflows.yaml (its stages, deadlines and transitions) read into spec objects.

`source: any` on a transition stands for every non-final stage of the route; it is expanded
here into the same `sources` tuple a written-out list gives, so the engine never sees `any`.
"""

from __future__ import annotations

import difflib
from typing import Any

from .rule_reader import SharedRules, read_rule
from .spec import (
    ConsentScope,
    DeadlineRule,
    HandOver,
    Milestone,
    Party,
    Route,
    Stage,
    Transition,
)
from .yaml_reader import Mapping, Reader

ANY = "any"
ROUTE_KEYS = {
    "title",
    "description",
    "jurisdictions",
    "calendar",
    "initial",
    "stages",
    "transitions",
    "opening_facts",
    "exclusive_group",
    "opening_milestone",
    "requires_consent",
}
STAGE_KEYS = {"label", "guidance", "final", "expected_duration", "deadlines"}
TRANSITION_KEYS = {
    "trigger",
    "label",
    "done_label",
    "source",
    "dest",
    "records",
    "optional",
    "event_date",
    "guards",
    "opens",
    "actor",
    "milestone",
    "requires_consent",
}


def read_route(
    reader: Reader, route_id: str, data: Mapping, line: int, rules: SharedRules
) -> Route:
    """The route `route_id` declared by `data` (in the file `reader` reads)."""
    where = f"routes.{route_id}"
    reader.unknown_keys(data, ROUTE_KEYS, where)
    stages = reader.each(
        data,
        "stages",
        f"{where}.stages",
        lambda stage_id, stage, stage_line: _read_stage(
            reader, f"{where}.stages.{stage_id}", stage_id, stage, stage_line, rules
        ),
    )
    if not stages:
        reader.problem(line, f"{where}: no stages")
    if ANY in stages:
        reader.problem(
            stages[ANY].line,
            f"{where}.stages.{ANY}: '{ANY}' is kept for `source: {ANY}`; rename the stage",
        )
    non_final = tuple(stage.id for stage in stages.values() if not stage.final)
    return Route(
        id=route_id,
        title=reader.text(data, "title", where),
        description=reader.text(data, "description", where, required=False),
        jurisdictions=reader.names(data, "jurisdictions", where),
        calendar=str(reader.required(data, "calendar", where) or ""),
        initial=str(reader.required(data, "initial", where) or ""),
        stages=tuple(stages.values()),
        transitions=_read_transitions(reader, data, where, line, non_final),
        opening_facts=reader.names(data, "opening_facts", where),
        exclusive_group=data.get("exclusive_group"),
        opening_milestone=data.get("opening_milestone"),
        line=line,
        requires_consent=_read_consent(reader, data, where),
    )


def _read_stage(
    reader: Reader, where: str, stage_id: str, data: Mapping, line: int, rules: SharedRules
) -> Stage:
    reader.unknown_keys(data, STAGE_KEYS, where)
    return Stage(
        id=stage_id,
        label=reader.text(data, "label", where),
        guidance=reader.text(data, "guidance", where),
        final=reader.boolean(data, "final", where, False),
        expected_duration=reader.period(data, "expected_duration", where, required=False),
        deadlines=_read_deadlines(reader, data, where, line, rules),
        line=line,
    )


def _read_deadlines(
    reader: Reader, data: Mapping, where: str, line: int, rules: SharedRules
) -> tuple[DeadlineRule, ...]:
    raw_rules = data.get("deadlines") or []
    if not isinstance(raw_rules, list):
        reader.problem(reader.line_of(data, "deadlines"), f"{where}.deadlines must be a list")
        return ()
    deadlines = []
    for index, raw in enumerate(raw_rules):
        rule_where = f"{where}.deadlines[{index}]"
        entry = reader.mapping(raw, rule_where, line)
        if "use" in entry:
            rule = rules.use(reader, entry, rule_where)
        else:
            rule = read_rule(reader, entry, rule_where)
        if rule is not None:
            deadlines.append(rule)
    return tuple(deadlines)


def _read_transitions(
    reader: Reader, data: Mapping, where: str, line: int, non_final: tuple[str, ...]
) -> tuple[Transition, ...]:
    raw_transitions = data.get("transitions") or []
    if not isinstance(raw_transitions, list):
        reader.problem(reader.line_of(data, "transitions"), f"{where}.transitions must be a list")
        return ()
    return tuple(
        _read_transition(
            reader, where, reader.mapping(raw, f"{where}.transitions", line), i, non_final
        )
        for i, raw in enumerate(raw_transitions)
    )


def _read_transition(
    reader: Reader, route_where: str, data: Mapping, index: int, non_final: tuple[str, ...]
) -> Transition:
    where = f"{route_where}.transitions[{index}]"
    trigger = str(reader.required(data, "trigger", where) or "")
    if trigger:
        where = f"{route_where}.transitions({trigger})"
    reader.unknown_keys(data, TRANSITION_KEYS, where)
    sources, from_any = _read_sources(reader, data, where, non_final)
    return Transition(
        trigger=trigger,
        label=reader.text(data, "label", where),
        done_label=reader.text(data, "done_label", where, required=False),
        sources=sources,
        dest=str(reader.required(data, "dest", where) or ""),
        records=reader.names(data, "records", where),
        optional=reader.names(data, "optional", where),
        event_date=data.get("event_date"),
        guards=reader.names(data, "guards", where),
        opens=_read_hand_over(reader, data.get("opens"), where, reader.line_of(data, "opens")),
        actor=reader.enum(data, "actor", where, Party, Party.US),
        milestones=_read_milestones(reader, data, where),
        line=reader.line_of(data),
        from_any=from_any,
        requires_consent=_read_consent(reader, data, where),
    )


def _read_sources(
    reader: Reader, data: Mapping, where: str, non_final: tuple[str, ...]
) -> tuple[tuple[str, ...], bool]:
    """The source stages, and whether they were given as `any` (every non-final stage)."""
    names = reader.names(data, "source", where)
    if ANY not in names:
        return names, False
    if len(names) > 1:
        reader.problem(
            reader.line_of(data, "source"),
            f"{where}.source: '{ANY}' already means every stage that is not final; "
            f"write '{ANY}' alone or list the stages",
        )
        return tuple(name for name in names if name != ANY), False
    return non_final, True


def _read_hand_over(reader: Reader, data: Any, where: str, line: int) -> HandOver | None:
    if data is None:
        return None
    data = reader.mapping(data, f"{where}.opens", line)
    route = reader.required(data, "route", f"{where}.opens")
    carry = data.get("carry") or {}
    if not isinstance(carry, dict):
        reader.problem(reader.line_of(data, "carry"), f"{where}.opens.carry must map new: old")
        carry = {}
    pairs = tuple((str(new), str(old)) for new, old in carry.items())
    return HandOver(str(route or ""), pairs, reader.line_of(data))


def _read_milestones(reader: Reader, data: Mapping, where: str) -> tuple[Milestone, ...]:
    """`milestone`: a name, or a list of names and {name, when: {fact: value(s)}} mappings."""
    value = data.get("milestone")
    if value is None:
        return ()
    line = reader.line_of(data, "milestone")
    milestones = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            milestones.append(Milestone(item, line=line))
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str):
            reader.unknown_keys(item, {"name", "when"}, f"{where}.milestone")
            when = item.get("when") or {}
            if not isinstance(when, dict):
                reader.problem(reader.line_of(item), f"{where}.milestone.when must map fact: value")
                when = {}
            pairs = tuple(
                (str(fact), tuple(str(v) for v in (vals if isinstance(vals, list) else [vals])))
                for fact, vals in when.items()
            )
            milestones.append(Milestone(item["name"], pairs, reader.line_of(item)))
        else:
            reader.problem(
                line, f"{where}.milestone must be a name or a list of names and {{name, when}}"
            )
    return tuple(milestones)


def _read_consent(reader: Reader, data: Mapping, where: str) -> tuple[str, ...]:
    """`requires_consent`: consent scopes, each one of ConsentScope's values."""
    known = [scope.value for scope in ConsentScope]
    scopes = reader.names(data, "requires_consent", where)
    for scope in scopes:
        if scope not in known:
            close = difflib.get_close_matches(scope, known, n=1)
            hint = f", did you mean {close[0]!r}?" if close else ""
            reader.problem(
                reader.line_of(data, "requires_consent"),
                f"{where}.requires_consent: unknown consent scope {scope!r}{hint} "
                f"(known: {', '.join(known)})",
            )
    return tuple(scope for scope in scopes if scope in known)
