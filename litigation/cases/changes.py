"""When a case's calendar last changed (`Case.updated_at`), and when a user's access did
(`User.access_changed_at`): the stamps a calendar feed compares instead of building itself
(feeds/stamps.py).

The session keeps them, not each operation: whatever flushes a case, its survivor, a consent,
a proceeding, a deadline or a hearing marks the case; a team joined or left, a role or an
account switched on or off marks the user. Statements that bypass the session (a hand-over's
conditional UPDATE) mark what they touch with `mark_cases` and `mark_users`.

The marks are written once, just before the commit, and on PostgreSQL under a lock held until
the commit (SQLite lets one writer at a time anyway): stamps then grow in the order the
transactions commit, so a feed that saw the latest stamp has seen every change before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from sqlalchemy import event, inspect, or_, select, text, update
from sqlalchemy.orm import Session

from ..db import utcnow
from ..models import (
    Case,
    ConsentRecord,
    Deadline,
    Hearing,
    Proceeding,
    Survivor,
    User,
)

PENDING = "litigation.changes"
# Any fixed number: the key of the PostgreSQL advisory lock the stamping transactions take.
STAMP_LOCK = 7_305_841_002
ACCESS = ("role", "active", "language", "cases")


class _Marks:
    """What the transaction changed so far: cases, proceedings, survivors and users by id."""

    def __init__(self) -> None:
        self.cases: set[int] = set()
        self.proceedings: set[int] = set()
        self.survivors: set[int] = set()
        self.users: set[int] = set()

    def __bool__(self) -> bool:
        return bool(self.cases or self.proceedings or self.survivors or self.users)


def _marks(session: Session) -> _Marks:
    return session.info.setdefault(PENDING, _Marks())


def mark_cases(session: Session, ids: Iterable[int]) -> None:
    """Stamp these cases at the commit (for writes that bypass the ORM)."""
    _marks(session).cases.update(ids)


def mark_users(session: Session, ids: Iterable[int]) -> None:
    """Stamp these users' access at the commit (for writes that bypass the ORM)."""
    _marks(session).users.update(ids)


def _changed(thing: object, names: Iterable[str]) -> bool:
    state = inspect(thing)
    return any(state.attrs[name].history.has_changes() for name in names)


def _moved_people(thing: object, name: str) -> set[int]:
    history = inspect(thing).attrs[name].history
    return {other.id for other in chain(history.added, history.deleted) if other.id}


def _mark(marks: _Marks, thing: object) -> None:
    if isinstance(thing, Case):
        marks.cases.add(thing.id)
        marks.users |= _moved_people(thing, "team")
    elif isinstance(thing, Deadline):
        marks.proceedings.add(thing.proceeding_id)
    elif isinstance(thing, Proceeding | Hearing | ConsentRecord):
        marks.cases.add(thing.case_id)
    elif isinstance(thing, Survivor):
        marks.survivors.add(thing.id)
    elif isinstance(thing, User) and _changed(thing, ACCESS):
        marks.users.add(thing.id)
        marks.cases |= _moved_people(thing, "cases")


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    # After the flush: new rows have their ids, and new, dirty and deleted still list them.
    marks = _marks(session)
    for thing in chain(session.new, session.dirty, session.deleted):
        _mark(marks, thing)


@event.listens_for(Session, "before_commit")
def _stamp(session: Session) -> None:
    session.flush()  # the commit flushes after this hook: collect what is still pending first
    marks = session.info.pop(PENDING, None)
    if not marks:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STAMP_LOCK})
    now = utcnow()  # read once the lock is held: after every earlier stamping commit
    cases = Case.__table__.c
    touched = []
    if marks.cases:
        touched.append(cases.id.in_(marks.cases))
    if marks.survivors:
        touched.append(cases.survivor_id.in_(marks.survivors))
    if marks.proceedings:
        of = select(Proceeding.case_id).where(Proceeding.id.in_(marks.proceedings))
        touched.append(cases.id.in_(of))
    if touched:
        connection.execute(update(Case.__table__).where(or_(*touched)).values(updated_at=now))
    if marks.users:
        users = User.__table__
        connection.execute(
            update(users).where(users.c.id.in_(marks.users)).values(access_changed_at=now)
        )


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
