"""Column values as JSON and back: dates and times as ISO strings, bytes (the documents'
encrypted files, never decrypted here) as base64, everything else as it is."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Table,
    Time,
)

from .files import BackupError

# The column types the export knows; a new one must be taught here (a test checks the schema).
SUPPORTED = (Integer, String, Boolean, Date, DateTime, Time, JSON, LargeBinary)


def unsupported_columns(table: Table) -> list[str]:
    """The columns of `table` whose type the export cannot write faithfully."""
    return [
        f"{table.name}.{column.name} ({column.type})"
        for column in table.columns
        if not isinstance(column.type, SUPPORTED)
    ]


def to_plain(column: Column, value: Any) -> Any:
    """A stored value as JSON can hold it."""
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        if column.type.timezone:
            # SQLite returns these naive, and every one is UTC: say so, so that an export
            # from SQLite loads into PostgreSQL at the same instant.
            value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(column.type, Date | Time):
        return value.isoformat()
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    return value


def from_plain(column: Column, value: Any) -> Any:
    """A value read from an export as the column stores it."""
    if value is None:
        return None
    try:
        if isinstance(column.type, DateTime):
            return dt.datetime.fromisoformat(value)
        if isinstance(column.type, Date):
            return dt.date.fromisoformat(value)
        if isinstance(column.type, Time):
            return dt.time.fromisoformat(value)
        if isinstance(column.type, LargeBinary):
            return base64.b64decode(value, validate=True)
    except (TypeError, ValueError, binascii.Error) as error:
        raise BackupError(
            f"{column.table.name}.{column.name}: a {type(value).__name__} value is not an ISO "
            "date or time, nor base64 bytes"
        ) from error
    return value
