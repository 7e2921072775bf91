"""Database triggers that keep the event history and the audit trail append-only.

The ORM already refuses to change an Event (models.py); these refuse it in the database
itself, whoever writes: a raw UPDATE, a DELETE, or the cascade of deleting a case that has a
history. A database owner can still drop them; they guard against mistakes and injected SQL,
not against whoever holds the database password.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

APPEND_ONLY_TABLES = ("events", "audit_entries", "note_revisions")
_FUNCTION = "refuse_rewriting_history"


def _postgresql_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()"
    ]


def _sqlite_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
        for operation in ("UPDATE", "DELETE")
    ]


def create_triggers(connection: Connection, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> None:
    """Refuse UPDATE and DELETE on every append-only table (a migration names its own)."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP "
                "USING ERRCODE = 'restrict_violation'; END $$"
            )
        )
        statements = [sql for table in tables for sql in _postgresql_create(table)]
    else:
        statements = [sql for table in tables for sql in _sqlite_create(table)]
    for statement in statements:
        connection.execute(text(statement))


def drop_triggers(connection: Connection, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> None:
    """Remove the triggers (a migration's downgrade; emptying a test database); the shared
    PostgreSQL function goes too once the triggers of every table are gone."""
    for table in tables:
        drop_table_triggers(connection, table)
    if connection.dialect.name == "postgresql" and set(tables) >= set(APPEND_ONLY_TABLES):
        connection.execute(text(f"DROP FUNCTION IF EXISTS {_FUNCTION}()"))


def drop_table_triggers(connection: Connection, table: str) -> None:
    """Remove the triggers of one table (IF EXISTS: a table added later may have none yet)."""
    if connection.dialect.name == "postgresql":
        exists = connection.execute(text("SELECT to_regclass(:t)"), {"t": table}).scalar()
        if exists is not None:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
        return
    for operation in ("update", "delete"):
        connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{operation}"))
