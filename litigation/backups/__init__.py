"""Backups that restore: a consistent copy of the live database (SQLite's online backup,
pg_dump), and a JSON export of every row that loads into an empty database.

No Flask here: the command line (cli/backups.py) reads the clock and commits.
"""

from .copy import Backup, backup, client_major, libpq_uri, pg_environment
from .export import FORMAT, FORMAT_VERSION, Export, export, export_document
from .files import PRIVATE, BackupError
from .load import Import, check_target, load, read_export
from .tables import row_counts, schema_revision, tables
from .values import SUPPORTED, unsupported_columns

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "PRIVATE",
    "SUPPORTED",
    "Backup",
    "BackupError",
    "Export",
    "Import",
    "backup",
    "check_target",
    "client_major",
    "export",
    "export_document",
    "libpq_uri",
    "load",
    "pg_environment",
    "read_export",
    "row_counts",
    "schema_revision",
    "tables",
    "unsupported_columns",
]
