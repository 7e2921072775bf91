"""Read workflows.yaml into immutable spec objects, reporting every problem with its line.

YAML is parsed by `yaml_reader.LineLoader`, a `yaml.SafeLoader` that only remembers line
numbers: it constructs plain data, never Python objects, so a workflows file cannot run code.
This module reads each section of that data into spec objects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, WorkflowError
from .spec import (
    CalendarSpec,
    ConfirmedHoliday,
    DatedDay,
    DeadlineRule,
    FactSpec,
    FactType,
    HandOver,
    Kind,
    Milestone,
    Party,
    Period,
    Route,
    Stage,
    Text,
    Transition,
    Unit,
    WorkflowSet,
)
from .yaml_reader import LineLoader, Mapping, Reader

WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}


_CALENDAR_KEYS = {
    "holidays",
    "weekend",
    "extra_days_off",
    "extra_working_days",
    "confirmed_holidays",
    "note",
}
_FACT_KEYS = {"type", "label", "choices", "choice_labels"}
_ROUTE_KEYS = {
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
}
_STAGE_KEYS = {"label", "guidance", "final", "expected_duration", "deadlines"}
_RULE_KEYS = {
    "name",
    "label",
    "period",
    "anchor",
    "anchor_offset",
    "calendar",
    "roll_forward",
    "kind",
    "party",
    "reminders",
    "legal_basis",
    "verified",
    "valid_from",
    "valid_to",
    "met_by",
    "cancelled_by",
    "restorable",
    "note",
}
_TRANSITION_KEYS = {
    "trigger",
    "label",
    "source",
    "dest",
    "records",
    "optional",
    "event_date",
    "guards",
    "opens",
    "actor",
    "milestone",
}


def _read_calendar(reader: Reader, name: str, data: Mapping, line: int) -> CalendarSpec:
    where = f"calendars.{name}"
    reader.unknown_keys(data, _CALENDAR_KEYS, where)
    weekend = set()
    for day in data.get("weekend", []) or []:
        if str(day).lower() not in WEEKDAYS:
            reader.problem(reader.line_of(data, "weekend"), f"{where}.weekend: unknown day {day!r}")
        else:
            weekend.add(WEEKDAYS[str(day).lower()])

    def dated(key: str) -> tuple[DatedDay, ...]:
        days = []
        for entry in data.get(key) or []:
            entry = reader.mapping(entry, f"{where}.{key}[]", reader.line_of(data, key))
            day = reader.date(entry, "date", f"{where}.{key}[]")
            if day is None:
                reader.problem(reader.line_of(entry), f"{where}.{key}[]: missing 'date'")
                continue
            days.append(DatedDay(day, str(entry.get("reason") or "")))
        return tuple(days)

    confirmed = []
    for entry in data.get("confirmed_holidays") or []:
        entry = reader.mapping(entry, f"{where}.confirmed_holidays[]", line)
        day = reader.date(entry, "date", f"{where}.confirmed_holidays[]")
        holiday = reader.required(entry, "holiday", f"{where}.confirmed_holidays[]")
        if day and holiday:
            confirmed.append(ConfirmedHoliday(str(holiday), day, str(entry.get("source") or "")))
    return CalendarSpec(
        id=name,
        country=data.get("holidays"),
        weekend=frozenset(weekend),
        extra_days_off=dated("extra_days_off"),
        extra_working_days=dated("extra_working_days"),
        confirmed_holidays=tuple(confirmed),
        line=line,
    )


def _read_fact(reader: Reader, name: str, data: Mapping, line: int) -> FactSpec:
    where = f"facts.{name}"
    reader.unknown_keys(data, _FACT_KEYS, where)
    fact_type = reader.enum(data, "type", where, FactType, FactType.DATE)
    choices = reader.names(data, "choices", where)
    if fact_type is FactType.CHOICE and not choices:
        reader.problem(line, f"{where}: a choice fact needs 'choices'")
    return FactSpec(
        name,
        fact_type,
        reader.text(data, "label", where),
        choices,
        _read_choice_labels(reader, data, where, choices),
        line,
    )


def _read_choice_labels(
    reader: Reader, data: Mapping, where: str, choices: tuple[str, ...]
) -> tuple[tuple[str, Text], ...]:
    raw = data.get("choice_labels")
    if raw is None:
        return ()
    section = reader.mapping(raw, f"{where}.choice_labels", reader.line_of(data, "choice_labels"))
    labels = []
    for value in section:
        if value not in choices:
            reader.problem(
                reader.line_of(section, value),
                f"{where}.choice_labels: {value!r} is not one of the choices "
                f"({', '.join(choices)})",
            )
            continue
        labels.append((str(value), reader.text(section, value, f"{where}.choice_labels")))
    return tuple(labels)


def _read_rule(reader: Reader, data: Mapping, where: str) -> DeadlineRule:
    reader.unknown_keys(data, _RULE_KEYS, where)
    name = str(reader.required(data, "name", where) or "")
    where = f"{where}({name})" if name else where
    reminders = data.get("reminders", [7, 1])
    if not isinstance(reminders, list) or not all(
        isinstance(days, int) and days >= 0 for days in reminders
    ):
        reader.problem(reader.line_of(data, "reminders"), f"{where}.reminders must list whole days")
        reminders = []
    verified = data.get("verified")
    if not isinstance(verified, bool):
        reader.problem(reader.line_of(data), f"{where}: 'verified' must be true or false")
    return DeadlineRule(
        name=name,
        label=reader.text(data, "label", where),
        period=reader.period(data, "period", where, required=True) or Period(1, Unit.DAYS),
        anchor=str(reader.required(data, "anchor", where) or ""),
        legal_basis=str(data.get("legal_basis") or "").strip(),
        verified=bool(verified),
        kind=reader.enum(data, "kind", where, Kind, Kind.HARD),
        party=reader.enum(data, "party", where, Party, Party.US),
        calendar=data.get("calendar"),
        roll_forward=reader.boolean(data, "roll_forward", where, True),
        anchor_offset=reader.period(data, "anchor_offset", where, required=False),
        reminders=tuple(sorted(set(reminders), reverse=True)),
        met_by=reader.names(data, "met_by", where),
        cancelled_by=reader.names(data, "cancelled_by", where),
        valid_from=reader.date(data, "valid_from", where),
        valid_to=reader.date(data, "valid_to", where),
        restorable=reader.boolean(data, "restorable", where, True),
        note=reader.text(data, "note", where, required=False),
        line=reader.line_of(data),
    )


def _read_stage(reader: Reader, route_id: str, stage_id: str, data: Mapping, line: int) -> Stage:
    where = f"routes.{route_id}.stages.{stage_id}"
    reader.unknown_keys(data, _STAGE_KEYS, where)
    rules = []
    raw_rules = data.get("deadlines") or []
    if not isinstance(raw_rules, list):
        reader.problem(reader.line_of(data, "deadlines"), f"{where}.deadlines must be a list")
        raw_rules = []
    for index, raw in enumerate(raw_rules):
        rule_where = f"{where}.deadlines[{index}]"
        rules.append(_read_rule(reader, reader.mapping(raw, rule_where, line), rule_where))
    return Stage(
        id=stage_id,
        label=reader.text(data, "label", where),
        guidance=reader.text(data, "guidance", where),
        final=reader.boolean(data, "final", where, False),
        expected_duration=reader.period(data, "expected_duration", where, required=False),
        deadlines=tuple(rules),
        line=line,
    )


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


def _read_transition(reader: Reader, route_id: str, data: Mapping, index: int) -> Transition:
    where = f"routes.{route_id}.transitions[{index}]"
    trigger = str(reader.required(data, "trigger", where) or "")
    if trigger:
        where = f"routes.{route_id}.transitions({trigger})"
    reader.unknown_keys(data, _TRANSITION_KEYS, where)
    return Transition(
        trigger=trigger,
        label=reader.text(data, "label", where),
        sources=reader.names(data, "source", where),
        dest=str(reader.required(data, "dest", where) or ""),
        records=reader.names(data, "records", where),
        optional=reader.names(data, "optional", where),
        event_date=data.get("event_date"),
        guards=reader.names(data, "guards", where),
        opens=_read_hand_over(reader, data.get("opens"), where, reader.line_of(data, "opens")),
        actor=reader.enum(data, "actor", where, Party, Party.US),
        milestones=_read_milestones(reader, data, where),
        line=reader.line_of(data),
    )


def _read_route(reader: Reader, route_id: str, data: Mapping, line: int) -> Route:
    where = f"routes.{route_id}"
    reader.unknown_keys(data, _ROUTE_KEYS, where)
    stages = reader.each(
        data,
        "stages",
        f"{where}.stages",
        lambda stage_id, stage, stage_line: _read_stage(
            reader, route_id, stage_id, stage, stage_line
        ),
    )
    if not stages:
        reader.problem(line, f"{where}: no stages")
    raw_transitions = data.get("transitions") or []
    if not isinstance(raw_transitions, list):
        reader.problem(reader.line_of(data, "transitions"), f"{where}.transitions must be a list")
        raw_transitions = []
    transitions = tuple(
        _read_transition(reader, route_id, reader.mapping(raw, f"{where}.transitions", line), i)
        for i, raw in enumerate(raw_transitions)
    )
    return Route(
        id=route_id,
        title=reader.text(data, "title", where),
        description=reader.text(data, "description", where, required=False),
        jurisdictions=reader.names(data, "jurisdictions", where),
        calendar=str(reader.required(data, "calendar", where) or ""),
        initial=str(reader.required(data, "initial", where) or ""),
        stages=tuple(stages.values()),
        transitions=transitions,
        opening_facts=reader.names(data, "opening_facts", where),
        exclusive_group=data.get("exclusive_group"),
        opening_milestone=data.get("opening_milestone"),
        line=line,
    )


def parse_workflows(
    text: str, path: str = "workflows.yaml"
) -> tuple[WorkflowSet | None, list[Problem]]:
    """Parse YAML text into a WorkflowSet plus the structural problems found on the way."""
    reader = Reader(path)
    try:
        data = yaml.load(text, Loader=LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        return None, [Problem(path, line, _yaml_message(error))]
    except yaml.YAMLError as error:
        return None, [Problem(path, 0, f"not valid YAML: {error}")]
    if not isinstance(data, Mapping):
        return None, [
            Problem(path, 1, "the file must be a mapping with 'calendars', 'facts' and 'routes'")
        ]
    reader.unknown_keys(data, {"version", "calendars", "facts", "routes"}, "top level")
    for key in ("calendars", "facts", "routes"):
        reader.required(data, key, "top level")
    workflows = WorkflowSet(
        path=path,
        calendars=reader.each(
            data, "calendars", "calendars", lambda n, d, ln: _read_calendar(reader, n, d, ln)
        ),
        facts=reader.each(data, "facts", "facts", lambda n, d, ln: _read_fact(reader, n, d, ln)),
        routes=reader.each(
            data, "routes", "routes", lambda n, d, ln: _read_route(reader, n, d, ln)
        ),
        lines={key: data.key_lines.get(key, 1) for key in ("calendars", "facts", "routes")},
    )
    return workflows, reader.problems


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    """PyYAML's message, with where the broken construct starts and a hint where one helps."""
    message = f"not valid YAML: {error.problem or error}"
    if error.context and error.context_mark:
        message += f" ({error.context} that starts on line {error.context_mark.line + 1})"
    if "<block" in message:
        message += "; check the indentation"
    elif isinstance(error, yaml.constructor.ConstructorError) and "tag" in message:
        message += "; a workflows file holds plain data only, without tags"
    return message


def _read_and_check(path: str) -> tuple[WorkflowSet | None, list[Problem]]:
    from .validate import validate

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        return None, [Problem(path, 0, f"cannot read the file: {error.strerror}")]
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        byte = error.object[error.start : error.start + 1].hex()
        return None, [Problem(path, line, f"the file is not UTF-8 text (byte 0x{byte})")]
    workflows, problems = parse_workflows(text, path)
    if workflows is not None:
        problems = problems + validate(workflows)
    return workflows, sorted(set(problems))


def check_file(path: str | Path) -> list[Problem]:
    """Every problem in a workflows file: syntax, structure and meaning."""
    return _read_and_check(str(path))[1]


def load_workflows(path: str | Path) -> WorkflowSet:
    """Load and validate a workflows file; raise WorkflowError listing every problem."""
    workflows, problems = _read_and_check(str(path))
    if problems or workflows is None:
        raise WorkflowError(problems)
    return workflows
