"""What an edit changed, as the audit trail may keep it: survivor data only as "changed"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

# Fields that identify or describe the survivor: the trail records that they changed, never
# what they said before or after, so the trail (and its CSV) holds no survivor data.
SURVIVOR_FIELDS = frozenset(
    {
        "survivor_name",
        "survivor_contact",
        "survivor_birth_year",
        "survivor_notes",
        "incident_place",
        "ill_treatment_forms",
        "rehabilitation_referrals",
        "notes",
    }
)
HIDDEN = "…"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """{field: [before, after]} for every field whose value differs; survivor fields hidden."""
    changes: dict[str, Any] = {}
    for name in after:
        old, new = before.get(name), after[name]
        if old == new:
            continue
        if name in SURVIVOR_FIELDS:
            changes[name] = [HIDDEN, HIDDEN]
        else:
            changes[name] = [_plain(old), _plain(new)]
    return changes
