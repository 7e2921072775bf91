"""Read workflows.yaml (and the route files it includes) into immutable spec objects.

YAML is parsed by `yaml_reader.LineLoader`, a `yaml.SafeLoader` that only remembers line
numbers: it constructs plain data, never Python objects, so a workflows file cannot run code.
This module reads the top level and facts; calendar_reader.py reads calendars, rule_reader.py
deadline rules (shared ones under `rules:` included), route_reader.py the routes, includes.py
route files.
Every problem names the file it is in: workflows.yaml, or the included route file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .calendar_reader import read_calendar
from .includes import read_included, read_text
from .problems import Problem, WorkflowError
from .route_reader import read_route
from .rule_reader import SharedRules
from .spec import (
    FactSpec,
    FactType,
    Route,
    Text,
    WorkflowSet,
)
from .yaml_reader import Mapping, Reader

TOP_LEVEL_KEYS = {"version", "calendars", "facts", "rules", "routes"}

_FACT_KEYS = {"type", "label", "choices", "choice_labels", "not_before"}


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
        not_before=reader.names(data, "not_before", where),
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


@dataclass
class _Parsed:
    """A parsed workflows file: the set (None if unreadable), its problems, each route's file."""

    workflows: WorkflowSet | None
    problems: list[Problem]
    files: dict[str, str] = field(default_factory=dict)  # route id -> the file declaring it


def parse_workflows(
    text: str, path: str = "workflows.yaml"
) -> tuple[WorkflowSet | None, list[Problem]]:
    """Parse YAML text into a WorkflowSet plus the structural problems found on the way."""
    parsed = _parse(text, path)
    return parsed.workflows, parsed.problems


def _parse(text: str, path: str) -> _Parsed:
    reader = Reader(path)
    data = reader.parse(text)
    if reader.problems:
        return _Parsed(None, reader.problems)
    if not isinstance(data, Mapping):
        message = "the file must be a mapping with 'calendars', 'facts' and 'routes'"
        return _Parsed(None, [Problem(path, 1, message)])
    reader.unknown_keys(data, TOP_LEVEL_KEYS, "top level")
    for key in ("calendars", "facts", "routes"):
        reader.required(data, key, "top level")
    rules = SharedRules(reader, _section(reader, data, "rules"))
    files: dict[str, str] = {}
    workflows = WorkflowSet(
        path=path,
        calendars=reader.each(
            data, "calendars", "calendars", lambda n, d, ln: read_calendar(reader, n, d, ln)
        ),
        facts=reader.each(data, "facts", "facts", lambda n, d, ln: _read_fact(reader, n, d, ln)),
        routes=_read_routes(reader, data, rules, files),
        lines={key: data.key_lines.get(key, 1) for key in ("calendars", "facts", "routes")},
    )
    return _Parsed(workflows, reader.problems, files)


def _section(reader: Reader, data: Mapping, key: str) -> Mapping:
    if data.get(key) is None:
        return Mapping()
    return reader.mapping(data[key], key, reader.line_of(data, key))


def _read_routes(
    reader: Reader, data: Mapping, rules: SharedRules, files: dict[str, str]
) -> dict[str, Route]:
    """Every route, written here or in the file its `include` names; `files` learns which."""
    routes = {}
    section = _section(reader, data, "routes")
    for name, item in section.items():
        route_id, line = str(name), reader.line_of(section, name)
        where = f"routes.{route_id}"
        entry = reader.mapping(item, where, line)
        route_reader, route_data = reader, entry
        if "include" in entry:
            if len(entry) > 1:
                reader.problem(line, f"{where}: an included route is written in its own file only")
            found = read_included(reader, entry, where)
            if found is None:
                continue
            route_reader, route_data = found
            line = route_data.line
        routes[route_id] = read_route(route_reader, route_id, route_data, line, rules)
        files[route_id] = route_reader.path
    return routes


def _read_and_check(path: str) -> tuple[WorkflowSet | None, list[Problem]]:
    from .validate import validate

    text = read_text(path)
    if isinstance(text, Problem):
        return None, [text]
    parsed = _parse(text, path)
    problems = parsed.problems
    if parsed.workflows is not None:
        problems = problems + validate(parsed.workflows, parsed.files)
    return parsed.workflows, sorted(set(problems))


def check_file(path: str | Path) -> list[Problem]:
    """Every problem in a workflows file and the files it includes: syntax, structure, meaning."""
    return _read_and_check(str(path))[1]


def load_workflows(path: str | Path) -> WorkflowSet:
    """Load and validate a workflows file; raise WorkflowError listing every problem."""
    workflows, problems = _read_and_check(str(path))
    if problems or workflows is None:
        raise WorkflowError(problems)
    return workflows
