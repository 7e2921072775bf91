"""What the cases list reads from the case row itself: its earliest open deadline
(`next_due`) and its words folded for search (`search_text`).

Both are copies, so one place keeps them: after every flush that writes a deadline, a case or
a survivor's name, the cases touched are recomputed from their rows. Every writer goes through
the session (operations, corrections, recalc, the command line, backups loaded as rows are
refreshed by `refresh_summaries`), so none can forget. The UPDATE is Core, not ORM: it moves
neither the case's version (an edit form open meanwhile stays valid) nor its audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, event, func, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..models import Case, Deadline, DeadlineStatus, Proceeding, Survivor

CASE_WORDS = ("reference", "incident_place", "authority")
"""The case's own fields the search reads, with the survivor's name."""


def search_text(reference: str, name: str | None, place: str | None, authority: str | None) -> str:
    """The words search compares, folded as names are (case, ё/е, spaces), none cut short."""
    parts = (reference, name, place, authority)
    return " ".join(" ".join(p.casefold().replace("ё", "е").split()) for p in parts if p)


def refresh_summaries(connection: Connection, case_ids: Iterable[int] | None = None) -> None:
    """Recompute next_due and search_text of these cases (all cases when None)."""
    ids = None if case_ids is None else sorted(set(case_ids))
    if ids == []:
        return
    for first in range(0, len(ids), 500) if ids is not None else [0]:
        chunk = None if ids is None else ids[first : first + 500]
        _refresh_next_due(connection, chunk)
        _refresh_search_text(connection, chunk)


def _refresh_next_due(connection: Connection, ids: list[int] | None) -> None:
    earliest = (
        select(func.min(Deadline.due_date))
        .join(Proceeding, Proceeding.id == Deadline.proceeding_id)
        .where(Proceeding.case_id == Case.id, Deadline.status == DeadlineStatus.OPEN)
        .scalar_subquery()
    )
    query = update(Case.__table__).values(next_due=earliest)
    if ids is not None:
        query = query.where(Case.__table__.c.id.in_(ids))
    connection.execute(query)


def _refresh_search_text(connection: Connection, ids: list[int] | None) -> None:
    rows = select(Case.id, Case.reference, Survivor.name, Case.incident_place, Case.authority).join(
        Survivor, Survivor.id == Case.survivor_id
    )
    if ids is not None:
        rows = rows.where(Case.id.in_(ids))
    values = [{"case": row[0], "text": search_text(*row[1:])} for row in connection.execute(rows)]
    if values:
        table = Case.__table__
        query = update(table).where(table.c.id == bindparam("case"))
        connection.execute(query.values(search_text=bindparam("text")), values)


def _touched_cases(session: Session) -> set[int]:
    """The cases whose copies this flush may have made stale."""
    cases: set[int] = set()
    proceedings: set[int] = set()
    survivors: set[int] = set()
    for item in (*session.new, *session.dirty, *session.deleted):
        if isinstance(item, Deadline):
            proceedings.add(item.proceeding_id)
        elif isinstance(item, Case) and item not in session.deleted:
            cases.add(item.id)
        elif isinstance(item, Survivor) and inspect(item).attrs.name.history.has_changes():
            survivors.add(item.id)
    connection = session.connection()
    if proceedings:
        found = select(Proceeding.case_id).where(Proceeding.id.in_(proceedings))
        cases.update(connection.scalars(found))
    if survivors:
        cases.update(connection.scalars(select(Case.id).where(Case.survivor_id.in_(survivors))))
    return {case for case in cases if case is not None}


@event.listens_for(Session, "after_flush")
def _keep_summaries(session: Session, _context: Any) -> None:
    cases = _touched_cases(session)
    if cases:
        refresh_summaries(session.connection(), cases)
