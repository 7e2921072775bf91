"""Reading the audit trail back in tests: the entries an action added, and every text it holds."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from litigation.db import db
from litigation.models import AuditEntry


def last_id() -> int:
    """The newest entry's id (0 for an empty trail): a mark to read what comes after."""
    return db.session.scalar(select(func.coalesce(func.max(AuditEntry.id), 0)))


def entries_after(mark: int) -> list[AuditEntry]:
    """The entries added after `mark`, oldest first."""
    db.session.expire_all()
    query = select(AuditEntry).where(AuditEntry.id > mark).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def summary(entry: AuditEntry) -> tuple:
    """What an entry says, as tests compare it."""
    return (entry.kind, entry.actor_id, entry.case_id, entry.details)


def everything_on_the_trail() -> str:
    """Every entry, every column, as one text to search for what must never be there."""
    rows = db.session.execute(select(AuditEntry.__table__)).mappings()
    return "\n".join(json.dumps(dict(row), default=str, ensure_ascii=False) for row in rows)
