"""The database itself refuses to rewrite history: no UPDATE or DELETE of an event or an audit
entry, whoever sends it, and no deleting a case whose history would go with it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from litigation.audit import record
from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Case, Deadline, Event, Proceeding, Role

D = dt.date


@pytest.fixture
def history(mini_registry, create_case, create_user_):
    """A case with a history (its opening event, a decision, a deadline) and audit entries."""
    from litigation.cases import fire
    from litigation.cases.notes import edit_note

    lawyer = create_user_(Role.LAWYER)
    case, proceeding = create_case(
        mini_registry, "domestic", team=[lawyer], facts={"reported_on": D(2026, 1, 12)}
    )
    fire(
        mini_registry,
        proceeding,
        "decide",
        actor=lawyer,
        occurred_on=None,
        today=D(2026, 11, 27),
        facts={"decided_on": D(2026, 3, 5), "learned_on": D(2026, 3, 10), "outcome": "refused"},
    )
    record(AuditKind.DOWNLOAD, actor=lawyer, details={"what": "csv", "table": "x"})
    edit_note(proceeding.events[-1], actor=lawyer, note="A later version of the note")
    db.session.commit()
    return case


def counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Case, Proceeding, Event, Deadline, AuditEntry)
    }


def rows(table: str) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET note = 'rewritten'",
        "UPDATE events SET occurred_on = '2026-01-01' WHERE trigger = 'decide'",
        "DELETE FROM events",
        "DELETE FROM events WHERE trigger = 'decide'",
        "UPDATE audit_entries SET actor_id = NULL",
        "UPDATE audit_entries SET details = '{}' WHERE kind = 'download'",
        "DELETE FROM audit_entries",
        "DELETE FROM audit_entries WHERE kind = 'download'",
        "UPDATE note_revisions SET note = 'rewritten'",
        "DELETE FROM note_revisions",
    ],
)
def test_the_database_refuses_to_rewrite_a_row_of_history(history, statement):
    table = statement.split()[1] if statement.startswith("UPDATE") else statement.split()[2]
    before = rows(table)

    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()

    assert rows(table) == before


def test_deleting_a_case_with_a_history_is_refused_and_nothing_is_lost(history):
    before = counts()
    assert before["events"] == 2 and before["deadlines"] == 1

    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM cases WHERE id = :id"), {"id": history.id})
    db.session.rollback()

    assert counts() == before


def test_new_events_and_entries_are_still_written(history, mini_registry):
    before = counts()

    record(AuditKind.DOWNLOAD, actor=None, details={"what": "ics"})
    db.session.commit()

    assert counts() == {**before, "audit_entries": before["audit_entries"] + 1}
