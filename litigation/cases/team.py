"""Who has been on a case and since when, read from the audit trail.

Every change of a case's team is audited in the transaction that makes it (operations.py,
reassignment.py): the team a case was opened with, and then who joined and who left, when and
by whom. The case page tells that story from these entries; nothing else is stored for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..db import db
from ..models import AuditEntry, AuditKind, Case, User


@dataclass(frozen=True)
class TeamChange:
    """One change of a case's team: `opened` for the team the case was opened with."""

    at: dt.datetime
    actor: User | None
    joined: tuple[User, ...]
    left: tuple[User, ...]
    opened: bool = False
    handed_over: bool = False  # a colleague's cases handed over (reassignment.py)


def team_history(case: Case) -> list[TeamChange]:
    """The case's team changes, newest first."""
    entries = list(
        db.session.scalars(
            db.select(AuditEntry)
            .where(
                AuditEntry.case_id == case.id,
                AuditEntry.kind.in_([AuditKind.CASE_CREATED, AuditKind.TEAM_CHANGED]),
            )
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        )
    )
    ids = {entry.actor_id for entry in entries if entry.actor_id}
    for entry in entries:
        ids.update(_ids(entry, "team", "added", "removed"))
    people = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(ids)))}
    changes = []
    for entry in entries:
        opened = entry.kind == AuditKind.CASE_CREATED
        joined = _people(people, _ids(entry, "team" if opened else "added"))
        left = _people(people, _ids(entry, "removed"))
        if joined or left:
            changes.append(
                TeamChange(
                    entry.at,
                    people.get(entry.actor_id) if entry.actor_id else None,
                    joined,
                    left,
                    opened=opened,
                    handed_over=(entry.details or {}).get("reason") == "reassigned",
                )
            )
    return changes


def _ids(entry: AuditEntry, *keys: str) -> list[int]:
    details = entry.details or {}
    return [int(i) for key in keys for i in details.get(key) or () if isinstance(i, int)]


def _people(people: dict[int, User], ids: list[int]) -> tuple[User, ...]:
    return tuple(people[i] for i in ids if i in people)
