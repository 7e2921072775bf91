"""YAML with line numbers, and a reader that collects problems instead of stopping.

The loader is a subclass of `yaml.SafeLoader` that only remembers where each mapping and key
stands: it constructs plain data, never Python objects, so a workflows file cannot run code.
It also refuses, while composing, nesting and aliases past the limits of yaml_limits.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Collection
from typing import Any

import yaml

from .problems import Problem
from .spec import LANGUAGES, Period, Text
from .yaml_limits import MAX_INT_DIGITS, LimitedComposer, Refused


class Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class Sequence(list):
    line: int = 0


class LineLoader(LimitedComposer, yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Mapping:
        _refuse_duplicate_keys(node)
        mapping = Mapping(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {str(key.value): key.start_mark.line + 1 for key, _value in node.value}
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> Sequence:
        sequence = Sequence(super().construct_sequence(node, deep=True))
        sequence.line = node.start_mark.line + 1
        return sequence


def _refuse_duplicate_keys(node: yaml.MappingNode) -> None:
    # Plain YAML keeps the last of two equal keys, which would silently drop a stage or route.
    seen: dict[str, int] = {}
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if key.value in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key.value!r} (first given on line {seen[key.value]})",
                key.start_mark,
            )
        seen[key.value] = key.start_mark.line + 1


def _construct_int(loader: LineLoader, node: yaml.ScalarNode) -> int:
    # Python refuses to turn thousands of digits into an int, with a ValueError PyYAML does
    # not mark; no number in a workflows file needs more than a few digits.
    if len(str(node.value)) > MAX_INT_DIGITS:
        raise Refused(
            None,
            None,
            f"a number of more than {MAX_INT_DIGITS} digits; no value in a workflows file "
            "needs so many",
            node.start_mark,
        )
    return loader.construct_yaml_int(node)


def _construct_timestamp(loader: LineLoader, node: yaml.ScalarNode) -> object:
    # PyYAML turns 2026-02-30 into a ValueError without a line; say where the date is.
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as error:
        message = f"{node.value!r} is not a date ({error})"
        raise Refused(None, None, message, node.start_mark) from None


LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_sequence)


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


class Reader:
    """Walks the parsed YAML, collecting problems instead of stopping at the first."""

    def __init__(self, path: str, problems: list[Problem] | None = None) -> None:
        self.path = path
        self.problems: list[Problem] = [] if problems is None else problems

    def in_file(self, path: str) -> Reader:
        """A reader for another file (an included one) adding to the same problems."""
        return Reader(path, self.problems)

    def parse(self, text: str) -> Any:
        """The plain data of YAML `text`, or None after recording why it is not valid YAML."""
        try:
            return yaml.load(text, Loader=LineLoader)
        except Refused as error:
            mark = error.problem_mark
            self.problem(mark.line + 1 if mark else 0, str(error.problem))
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            self.problem(mark.line + 1 if mark else 0, _yaml_message(error))
        except yaml.YAMLError as error:
            self.problem(0, f"not valid YAML: {error}")
        return None

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def line_of(self, mapping: Any, key: str | None = None) -> int:
        if isinstance(mapping, Mapping):
            return mapping.key_lines.get(key, mapping.line) if key else mapping.line
        return getattr(mapping, "line", 0)

    def mapping(self, value: Any, where: str, line: int) -> Mapping:
        if isinstance(value, Mapping):
            return value
        self.problem(line, f"{where} must be a mapping")
        return Mapping()

    def required(self, mapping: Mapping, key: str, where: str) -> Any:
        if mapping.get(key) is None:
            self.problem(self.line_of(mapping), f"{where}: missing '{key}'")
        return mapping.get(key)

    def unknown_keys(
        self, mapping: Mapping, allowed: set[str], where: str, handled: Collection[str] = ()
    ) -> None:
        """Report each key not in `allowed` (keys in `handled` are the caller's to report)."""
        for key in mapping:
            if key not in allowed and key not in handled:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f", did you mean '{close[0]}'?" if close else ""
                self.problem(
                    self.line_of(mapping, key),
                    f"{where}: unknown key '{key}'{hint} "
                    f"(expected one of: {', '.join(sorted(allowed))})",
                )

    def text(self, mapping: Mapping, key: str, where: str, required: bool = True) -> Text | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.problem(self.line_of(mapping), f"{where}: missing '{key}'")
            return Text("", "") if required else None
        line = self.line_of(mapping, key)
        if isinstance(value, str):
            self.problem(line, f"{where}.{key} must give both languages: {{ru: ..., en: ...}}")
            return Text(value, value)
        value = self.mapping(value, f"{where}.{key}", line)
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.problem(line, f"{where}.{key}: missing the '{lang}' text")
        return Text(str(value.get("ru") or ""), str(value.get("en") or ""))

    def names(self, mapping: Mapping, key: str, where: str) -> tuple[str, ...]:
        value = mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        self.problem(self.line_of(mapping, key), f"{where}.{key} must be a name or a list of names")
        return ()

    def period(self, mapping: Mapping, key: str, where: str, required: bool) -> Period | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.problem(self.line_of(mapping), f"{where}: missing '{key}'")
            return None
        try:
            return Period.parse(str(value))
        except ValueError as error:
            self.problem(self.line_of(mapping, key), f"{where}.{key}: {error}")
            return None

    def date(self, mapping: Mapping, key: str, where: str) -> dt.date | None:
        value = mapping.get(key)
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem(self.line_of(mapping, key), f"{where}.{key}: {value!r} is not a date")
            return None

    def boolean(self, mapping: Mapping, key: str, where: str, default: bool) -> bool:
        value = mapping.get(key, default)
        if isinstance(value, bool):
            return value
        self.problem(self.line_of(mapping, key), f"{where}.{key} must be true or false")
        return default

    def enum(self, mapping: Mapping, key: str, where: str, enum: type, default: Any) -> Any:
        value = mapping.get(key)
        if value is None:
            return default
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.problem(
                self.line_of(mapping, key), f"{where}.{key}: {value!r} is not one of: {allowed}"
            )
            return default

    def each(
        self, mapping: Mapping, key: str, where: str, read: Callable[[str, Any, int], Any]
    ) -> dict[str, Any]:
        """Read every entry of a mapping of named items, skipping those that fail."""
        value = mapping.get(key)
        if value is None:
            return {}
        section = self.mapping(value, where, self.line_of(mapping, key))
        result = {}
        for name, item in section.items():
            line = self.line_of(section, name)
            item_mapping = self.mapping(item, f"{where}.{name}", line)
            result[str(name)] = read(str(name), item_mapping, line)
        return result
