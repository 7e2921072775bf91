"""The tables a backup covers (every table the models declare) and how to read them at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic.migration import MigrationContext
from sqlalchemy import Connection, Table, func, select

from ..db import db


def tables() -> list[Table]:
    """Every table of the schema, parents before children (foreign keys point backwards)."""
    return list(db.metadata.sorted_tables)


def row_counts(connection: Connection) -> dict[str, int]:
    """{table: number of rows} for every table of the schema."""
    return {
        table.name: connection.scalar(select(func.count()).select_from(table)) or 0
        for table in tables()
    }


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at; None before `litigation init-db`."""
    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def consistent_read() -> Iterator[Connection]:
    """A connection whose reads all see one committed moment, while the app goes on writing."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        else:
            # pysqlite opens no transaction for SELECTs, so each would see a later moment;
            # an explicit BEGIN holds one WAL snapshot for them all.
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()
