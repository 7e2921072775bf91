"""`export`: every row of every table as one JSON document, generic over the schema, so a
table added later (two-factor, ...) is exported without a change here."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, select

from ..audit import record
from ..models import AuditKind
from .files import BackupError, refuse_existing, write_private
from .tables import consistent_read, schema_revision, tables
from .values import to_plain, unsupported_columns

FORMAT = "litigation-export"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Export:
    """What was written: the file, the schema revision, and rows per table."""

    path: Path
    revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def table_rows(connection: Connection, table: Table) -> list[dict[str, Any]]:
    """Every row of `table` with every column, in primary-key order, as JSON values."""
    query = select(table).order_by(*table.primary_key.columns)
    return [
        {column.name: to_plain(column, row[column.name]) for column in table.columns}
        for row in connection.execute(query).mappings()
    ]


def export_document(connection: Connection, exported_at: dt.datetime) -> dict[str, Any]:
    """The whole database as one JSON-ready document."""
    revision = schema_revision(connection)
    if revision is None:
        raise BackupError("the database has no schema yet: nothing to export")
    unsupported = [name for table in tables() for name in unsupported_columns(table)]
    if unsupported:
        raise BackupError(f"the export cannot write these columns: {', '.join(unsupported)}")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": revision,
        "exported_at": exported_at.isoformat(),
        "tables": {table.name: table_rows(connection, table) for table in tables()},
    }


def export(path: Path, *, exported_at: dt.datetime, force: bool = False) -> Export:
    """Write the export to `path` (mode 0600) and record it in the audit trail."""
    refuse_existing(path, force)  # before reading the whole database
    with consistent_read() as connection:
        document = export_document(connection, exported_at)

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8") as file:
            json.dump(document, file, ensure_ascii=False, indent=1)
            file.write("\n")

    write_private(path, force, write)
    rows = {name: len(rows) for name, rows in document["tables"].items()}
    record(AuditKind.EXPORT, actor=None, details={"path": str(path), "rows": sum(rows.values())})
    return Export(path, document["schema_revision"], rows)
