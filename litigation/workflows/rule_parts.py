"""Two parts of a deadline rule read on their own: its `when` and its `alternatives`.

`when: {complaint_subject: [detention, qualification]}` makes a version of a rule apply only
when the proceeding recorded one of those values (KZ CPC art. 105(2): 3 days for detention-type
complaints, 7 days otherwise). `alternatives` lists other periods an unverified rule may turn out
to have; the engine shows the earliest date and says how late it could be.
"""

from __future__ import annotations

from typing import Any

from .spec import Alternative, Condition, Period
from .yaml_reader import Mapping, Reader

ALTERNATIVE_KEYS = {"period", "reason"}


def read_condition(reader: Reader, data: Mapping, where: str) -> Condition:
    """`when`: each fact mapped to the value, or the list of values, it must have been given."""
    value = data.get("when")
    if value is None:
        return ()
    if not isinstance(value, Mapping) or not value:
        reader.problem(
            reader.line_of(data, "when"),
            f"{where}.when must map a fact to a value or a list of values, "
            "e.g. when: {complaint_subject: [detention]}",
        )
        return ()
    pairs = []
    for fact, accepted in value.items():
        items = accepted if isinstance(accepted, list) else [accepted]
        if not items or not all(isinstance(item, str) for item in items):
            reader.problem(
                reader.line_of(value, fact),
                f"{where}.when.{fact} must be a choice value or a list of them "
                "(quote a value YAML reads otherwise, such as 'yes' or '1')",
            )
            continue
        pairs.append((str(fact), tuple(items)))
    return tuple(pairs)


def read_alternatives(
    reader: Reader, data: Mapping, where: str, period: Period, verified: Any
) -> tuple[Alternative, ...]:
    """`alternatives`: other plausible periods of an unverified rule, each with its reason."""
    raw = data.get("alternatives")
    if raw is None:
        return ()
    line = reader.line_of(data, "alternatives")
    if not isinstance(raw, list) or not raw:
        reader.problem(line, f"{where}.alternatives must list {{period, reason}} mappings")
        return ()
    if verified is True:
        reader.problem(
            line,
            f"{where}.alternatives: only an unverified rule (verified: false) may list "
            "alternatives; a verified rule has the period read in its text",
        )
    found = []
    for index, item in enumerate(raw):
        alternative = _read_alternative(reader, item, f"{where}.alternatives[{index}]", line)
        if alternative is None:
            continue
        if alternative.period == period:
            reader.problem(
                alternative.line,
                f"{where}.alternatives[{index}].period: {period} is the rule's own period",
            )
            continue
        found.append(alternative)
    return tuple(found)


def _read_alternative(reader: Reader, item: Any, where: str, line: int) -> Alternative | None:
    entry = reader.mapping(item, where, line)
    reader.unknown_keys(entry, ALTERNATIVE_KEYS, where)
    period = reader.period(entry, "period", where, required=True)
    reason = reader.text(entry, "reason", where)
    if period is None or reason is None:
        return None
    return Alternative(period, reason, reader.line_of(entry) or line)
