"""`import`: an export loaded into an empty database at the same schema revision, in the
caller's transaction, ids kept.

Rows go in parent tables first. A foreign key to a table loaded later (proceedings'
parent_event_id points at events, a cycle) or to the same table goes in as NULL and is set
once every row exists. The events and audit tables only take INSERTs (their triggers refuse
UPDATE), so their rows go in whole. PostgreSQL's sequences are then moved past the ids loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Table, and_, bindparam, func, select, text, update
from sqlalchemy.exc import DBAPIError

from ..audit import APPEND_ONLY_TABLES
from .export import FORMAT, FORMAT_VERSION
from .files import BackupError
from .tables import row_counts, schema_revision, tables
from .values import from_plain


@dataclass(frozen=True)
class Import:
    """What was loaded: the schema revision and rows per table."""

    revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def read_export(path: Path) -> dict[str, Any]:
    """The document in `path`, refused unless it is an export this code can load."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"cannot read {path} as an export: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not an export of this application")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is in export format {document.get('format_version')!r}; "
            f"this version reads format {FORMAT_VERSION}"
        )
    if not isinstance(document.get("schema_revision"), str):
        raise BackupError(f"{path} does not say which schema revision it is of")
    _check_tables(document.get("tables"))
    return document


def _check_tables(found: Any) -> None:
    """The export has exactly the schema's tables, each row exactly its columns."""
    if not isinstance(found, dict):
        raise BackupError("the export has no tables")
    expected = {table.name: table for table in tables()}
    if set(found) != set(expected):
        missing, unknown = sorted(set(expected) - set(found)), sorted(set(found) - set(expected))
        raise BackupError(
            f"the export's tables differ from this schema's: missing {missing}, unknown {unknown}"
        )
    for name, rows in found.items():
        columns = {column.name for column in expected[name].columns}
        if not isinstance(rows, list) or any(
            not isinstance(row, dict) or set(row) != columns for row in rows
        ):
            raise BackupError(f"the rows of table {name} do not have this schema's columns")


def check_target(connection: Connection, revision: str) -> None:
    """Refuse a database at another revision or with any row in it."""
    current = schema_revision(connection)
    if current is None:
        raise BackupError("this database has no schema: run `litigation init-db` first")
    if current != revision:
        raise BackupError(
            f"the export is of schema revision {revision} and this database is at {current}: "
            "import into a database at the export's revision (or export again from an "
            "up-to-date copy)"
        )
    filled = {name: count for name, count in row_counts(connection).items() if count}
    if filled:
        listed = ", ".join(f"{name} ({count})" for name, count in filled.items())
        raise BackupError(
            f"this database is not empty: {listed}. Import only into a new database "
            "made with `litigation init-db`; nothing was changed"
        )


def load(connection: Connection, document: dict[str, Any]) -> Import:
    """Insert every row of `document` (already read with read_export) in this transaction."""
    check_target(connection, document["schema_revision"])
    order = tables()
    later: list[tuple[Table, list[Column], list[dict[str, Any]]]] = []
    for position, table in enumerate(order):
        rows = [_typed(table, row) for row in document["tables"][table.name]]
        deferred = _deferred_columns(table, order[position:])
        _insert(connection, table, rows, deferred)
        later.append((table, deferred, rows))
    for table, deferred, rows in later:
        _set_deferred(connection, table, deferred, rows)
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection)
    return Import(
        document["schema_revision"], {name: len(rows) for name, rows in document["tables"].items()}
    )


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {column.name: from_plain(column, row[column.name]) for column in table.columns}


def _deferred_columns(table: Table, not_yet_loaded: list[Table]) -> list[Column]:
    """Foreign-key columns pointing at a table not fully loaded when `table`'s rows go in."""
    if table.name in APPEND_ONLY_TABLES:
        # No UPDATE later: rows go in whole, in id order (history only points backwards).
        return []
    pending = {other.name for other in not_yet_loaded}
    return [fk.parent for fk in table.foreign_keys if fk.column.table.name in pending]


def _insert(
    connection: Connection, table: Table, rows: list[dict[str, Any]], deferred: list[Column]
) -> None:
    if not rows:
        return
    blanked = {column.name: None for column in deferred}
    _execute(connection, table, table.insert(), [{**row, **blanked} for row in rows])


def _set_deferred(
    connection: Connection, table: Table, deferred: list[Column], rows: list[dict[str, Any]]
) -> None:
    """Set the foreign keys left NULL at insert, now that what they point at exists."""
    keys = list(table.primary_key.columns)
    match = and_(*(key == bindparam(f"key_{key.name}") for key in keys))
    for column in deferred:
        values = [
            {"value": row[column.name], **{f"key_{key.name}": row[key.name] for key in keys}}
            for row in rows
            if row[column.name] is not None
        ]
        if values:
            statement = update(table).where(match).values({column.name: bindparam("value")})
            _execute(connection, table, statement, values)


def _execute(connection: Connection, table: Table, statement: Any, rows: list[dict]) -> None:
    try:
        connection.execute(statement, rows)
    except DBAPIError as error:
        # Only the driver's own words: SQLAlchemy's would list the rows (survivor data).
        reason = str(error.orig).strip().splitlines()[0]
        raise BackupError(f"the database refused the rows of {table.name}: {reason}") from error


def _reset_sequences(connection: Connection) -> None:
    """Move each id sequence past the largest id loaded, so new rows get fresh ids."""
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1:
            continue
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": keys[0].name},
        )
        if sequence is None:
            continue
        largest = connection.scalar(select(func.max(keys[0])))
        # setval(seq, n, true): the next id is n + 1; on an empty table start again at 1.
        connection.execute(
            text("SELECT setval(:sequence, :value, :called)"),
            {"sequence": sequence, "value": largest or 1, "called": largest is not None},
        )
