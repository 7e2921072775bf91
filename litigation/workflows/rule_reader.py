"""Deadline rules: written out in a stage, or declared once under `rules:` and used by name.

A stage's `deadlines:` entry is either a whole rule or a reference, `- use: hrc_five_years`,
which may change only the keys that say where the rule sits in a route (OVERRIDABLE). A rule
under `rules:` may itself be a reference to another one; a chain that comes back to a rule
already on it is a problem. Every label gets its period from the rule (wording.rule_label).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Any

from .rule_parts import read_alternatives, read_condition
from .spec import LANGUAGES, MAX_AMOUNT, DeadlineRule, Kind, Party, Period, Text, Unit
from .wording import counted_text, hand_written_period, rule_label
from .yaml_reader import Mapping, Reader

RULE_KEYS = {
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
    "continues_through",
    "superseded_by",
    "restorable",
    "note",
    "when",
    "alternatives",
    "copied_from",
}
# Where a rule is counted from and what ends it differ from route to route, and so may its
# wording; its name, period, kind and force do not: a rule differing there is another rule.
OVERRIDABLE = {
    "label",
    "anchor",
    "calendar",
    "met_by",
    "cancelled_by",
    "continues_through",
    "legal_basis",
    "note",
}
REFERENCE_KEYS = {"use", *OVERRIDABLE}


@dataclass(frozen=True)
class _Read:
    """A rule with the label it was given in YAML, before the period was added."""

    rule: DeadlineRule
    base_label: Text


def read_rule(reader: Reader, data: Mapping, where: str) -> DeadlineRule:
    """A rule written out in full."""
    return _read_full(reader, data, where).rule


def _read_full(reader: Reader, data: Mapping, where: str) -> _Read:
    reader.unknown_keys(data, RULE_KEYS, where)
    name = str(reader.required(data, "name", where) or "")
    where = f"{where}({name})" if name else where
    verified = data.get("verified")
    if not isinstance(verified, bool):
        reader.problem(reader.line_of(data), f"{where}: 'verified' must be true or false")
    period = reader.period(data, "period", where, required=True) or Period(1, Unit.DAYS)
    anchor_offset = reader.period(data, "anchor_offset", where, required=False)
    alternatives = read_alternatives(reader, data, where, period, verified)
    others = [alternative.period for alternative in alternatives]
    base = _base_label(reader, data, where, period, anchor_offset, others)
    rule = DeadlineRule(
        name=name,
        label=rule_label(base, period, anchor_offset, others),
        period=period,
        anchor=str(reader.required(data, "anchor", where) or ""),
        legal_basis=_legal_basis(reader, data, where),
        verified=bool(verified),
        kind=reader.enum(data, "kind", where, Kind, Kind.HARD),
        party=reader.enum(data, "party", where, Party, Party.US),
        calendar=data.get("calendar"),
        roll_forward=reader.boolean(data, "roll_forward", where, True),
        anchor_offset=anchor_offset,
        reminders=_reminders(reader, data, where),
        met_by=reader.names(data, "met_by", where),
        cancelled_by=reader.names(data, "cancelled_by", where),
        continues_through=reader.names(data, "continues_through", where),
        superseded_by=reader.names(data, "superseded_by", where),
        valid_from=reader.date(data, "valid_from", where),
        valid_to=reader.date(data, "valid_to", where),
        restorable=reader.boolean(data, "restorable", where, True),
        note=reader.text(data, "note", where, required=False),
        line=reader.line_of(data),
        when=read_condition(reader, data, where),
        alternatives=alternatives,
        copied_from=_copied_from(reader, data, where, verified),
    )
    return _Read(rule, base)


def _legal_basis(reader: Reader, data: Mapping, where: str) -> Text:
    """The article in both languages; an empty Text when missing (validation reports it)."""
    return reader.text(data, "legal_basis", where, required=False) or Text("", "")


def _reminders(reader: Reader, data: Mapping, where: str) -> tuple[int, ...]:
    """Days before the due date, latest first; whole days from 0 up to 100 years."""
    reminders = data.get("reminders", [7, 1])
    line = reader.line_of(data, "reminders")
    # bool is an int in Python: `reminders: [true]` is a typo, not a day.
    if not isinstance(reminders, list) or not all(
        isinstance(days, int) and not isinstance(days, bool) and days >= 0 for days in reminders
    ):
        reader.problem(line, f"{where}.reminders must list whole days")
        return ()
    too_far = [days for days in reminders if days > MAX_AMOUNT["d"]]
    if too_far:
        reader.problem(
            line,
            f"{where}.reminders: {too_far[0]} days is more than 100 years before the due date "
            f"(at most {MAX_AMOUNT['d']})",
        )
        return ()
    return tuple(sorted(set(reminders), reverse=True))


def _copied_from(reader: Reader, data: Mapping, where: str, verified: Any) -> Text | None:
    """Where an unverified value was taken from when it is another code's (e.g. Russia's)."""
    copied = reader.text(data, "copied_from", where, required=False)
    if copied is not None and verified is True:
        reader.problem(
            reader.line_of(data, "copied_from"),
            f"{where}.copied_from: a verified rule was read in its own text; "
            "only an unverified rule (verified: false) may be copied from another code",
        )
    return copied


def _base_label(
    reader: Reader,
    data: Mapping,
    where: str,
    period: Period,
    anchor_offset: Period | None,
    alternatives: list[Period],
) -> Text:
    """The YAML label, refused where it still gives the period by hand (it would drift)."""
    label = reader.text(data, "label", where) or Text("", "")
    for lang in LANGUAGES:
        written = hand_written_period(getattr(label, lang))
        if written:
            counted = counted_text(period, anchor_offset, lang, alternatives)
            reader.problem(
                reader.line_of(data, "label"),
                f"{where}.label: the {lang} text gives the period by hand ({written!r}); "
                f"remove it, the period is added from the rule: '({counted})'",
            )
    return label


class SharedRules:
    """The `rules:` section: each rule read once, references resolved on first use."""

    def __init__(self, reader: Reader, section: Mapping) -> None:
        self._reader = reader
        self._section = section
        self._done: dict[str, _Read | None] = {}
        self._chain: list[str] = []
        for key in section:  # read every declared rule, used or not, so its problems show
            self._resolve(str(key))

    def use(self, reader: Reader, data: Mapping, where: str) -> DeadlineRule | None:
        """The rule a stage's `- use: name` entry stands for, at the entry's line."""
        used = self._reference(reader, data, where)
        return replace(used.rule, line=reader.line_of(data)) if used else None

    def _resolve(self, key: str) -> _Read | None:
        if key not in self._done:
            where = f"rules.{key}"
            line = self._reader.line_of(self._section, key)
            data = self._section[key]
            self._chain.append(key)
            if not isinstance(data, Mapping):
                self._reader.problem(line, f"{where} must be a mapping")
                self._done[key] = None
            elif "use" in data:
                self._done[key] = self._reference(self._reader, data, where)
            else:
                self._done[key] = _read_full(self._reader, data, where)
            self._chain.pop()
        return self._done[key]

    def _reference(self, reader: Reader, data: Mapping, where: str) -> _Read | None:
        target = data.get("use")
        line = reader.line_of(data, "use")
        if not isinstance(target, str) or target not in self._section:
            reader.problem(line, f"{where}.use: {self._unknown(target)}")
            return None
        if target in self._chain:
            cycle = " -> ".join([*self._chain[self._chain.index(target) :], target])
            reader.problem(line, f"{where}.use: rules using each other in a circle ({cycle})")
            return None
        used = self._resolve(target)
        _reference_keys(reader, data, where, target)
        return _overridden(reader, used, data, where) if used else None

    def _unknown(self, target: Any) -> str:
        known = sorted(str(key) for key in self._section)
        close = difflib.get_close_matches(str(target), known, n=1)
        hint = f", did you mean {close[0]!r}?" if close else ""
        return f"unknown rule {target!r}{hint} (rules: {', '.join(known) or 'none declared'})"


def _reference_keys(reader: Reader, data: Mapping, where: str, target: str) -> None:
    reader.unknown_keys(data, REFERENCE_KEYS, where, handled=RULE_KEYS)
    for key in data:
        if key in RULE_KEYS - REFERENCE_KEYS:
            reader.problem(
                reader.line_of(data, key),
                f"{where}: '{key}' of rule {target!r} cannot change where it is used; "
                f"declare a separate rule (a reference may change: "
                f"{', '.join(sorted(OVERRIDABLE))})",
            )


def _overridden(reader: Reader, used: _Read, data: Mapping, where: str) -> _Read:
    rule, base, changes = used.rule, used.base_label, {}
    if "label" in data:
        others = [alternative.period for alternative in rule.alternatives]
        base = _base_label(reader, data, where, rule.period, rule.anchor_offset, others)
        changes["label"] = rule_label(base, rule.period, rule.anchor_offset, others)
    if "anchor" in data:
        changes["anchor"] = str(reader.required(data, "anchor", where) or "")
    if "calendar" in data:
        changes["calendar"] = data["calendar"]
    for key in ("met_by", "cancelled_by", "continues_through"):
        if key in data:
            changes[key] = reader.names(data, key, where)
    if "legal_basis" in data:
        changes["legal_basis"] = _legal_basis(reader, data, where)
    if "note" in data:
        changes["note"] = reader.text(data, "note", where, required=False)
    return _Read(replace(rule, **changes), base)
