"""Order between recorded dates, declared in workflows.yaml and checked when a step records them.

```yaml
facts:
  refusal_received_on: {type: date, not_before: [complaint_filed_on], label: ...}
```

A prosecutor's refusal cannot be received before the complaint was filed; a verdict's copy
cannot be delivered before the verdict was pronounced. `incident` in `not_before` stands for
the case's incident date. Pure functions: the caller refuses the step with the messages.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .spec import INCIDENT, FactType, Text, WorkflowSet

INCIDENT_LABEL = Text("Дата инцидента", "Date of the incident")


@dataclass(frozen=True)
class OrderProblem:
    """A date recorded before the date it may not precede."""

    later: str  # the fact that must be on or after `earlier`
    later_on: dt.date
    later_label: Text
    earlier: str  # a fact name, or INCIDENT
    earlier_on: dt.date
    earlier_label: Text

    @property
    def message(self) -> Text:
        """'«Дата получения отказа» (01.03.2025) не может быть раньше …', in both languages."""
        return Text(
            f"«{self.later_label.ru}» ({self.later_on:%d.%m.%Y}) не может быть раньше, "
            f"чем «{self.earlier_label.ru}» ({self.earlier_on:%d.%m.%Y}).",
            f"'{self.later_label.en}' ({self.later_on.isoformat()}) cannot be before "
            f"'{self.earlier_label.en}' ({self.earlier_on.isoformat()}).",
        )


def _as_date(value: Any) -> dt.date | None:
    """A date, or ISO text as the database stores it; anything else is not ordered."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def order_problems(
    workflows: WorkflowSet,
    facts: Mapping[str, Any],
    *,
    recorded: Collection[str] | None = None,
    incident_on: dt.date | None = None,
) -> list[OrderProblem]:
    """Every `not_before` that the dates in `facts` break, in the order facts are declared.

    `facts` maps fact names to dates (or ISO text). With `recorded`, only the dates a step
    records now are checked against the others: an older date that a later event replaced
    (a second complaint, a second termination) is then never compared with a newer one.
    """
    dates = {name: day for name, value in facts.items() if (day := _as_date(value))}
    if incident_on is not None:
        dates[INCIDENT] = incident_on
    found = []
    for name, spec in workflows.facts.items():
        later = dates.get(name)
        if later is None or (recorded is not None and name not in recorded):
            continue
        for before in spec.not_before:
            earlier = dates.get(before)
            if earlier is not None and later < earlier:
                found.append(
                    OrderProblem(
                        name, later, spec.label, before, earlier, _label(workflows, before)
                    )
                )
    return found


def _label(workflows: WorkflowSet, name: str) -> Text:
    spec = workflows.facts.get(name)
    return spec.label if spec else INCIDENT_LABEL


def order_messages(workflows: WorkflowSet) -> Iterator[tuple[int, str]]:
    """Problems with the declared order: unknown names, facts that are not dates."""
    for name, spec in workflows.facts.items():
        where = f"facts.{name}.not_before"
        if spec.not_before and spec.type is not FactType.DATE:
            message = f"{name!r} is a {spec.type.value} fact; only a date fact can be ordered"
            yield spec.line, f"{where}: {message}"
            continue
        for before in spec.not_before:
            message = _before_message(workflows, name, before)
            if message:
                yield spec.line, f"{where}: {message}"


def _before_message(workflows: WorkflowSet, name: str, before: str) -> str | None:
    if before == INCIDENT:
        return None
    if before == name:
        return f"{name!r} cannot be ordered after itself"
    other = workflows.facts.get(before)
    if other is None:
        close = difflib.get_close_matches(before, [*workflows.facts, INCIDENT], n=1)
        hint = f", did you mean {close[0]!r}?" if close else ""
        return f"unknown fact {before!r}{hint}"
    if other.type is not FactType.DATE:
        return f"{before!r} is a {other.type.value} fact, not a date"
    return None
