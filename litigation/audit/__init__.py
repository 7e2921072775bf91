"""The audit trail: who did what, kept append-only by triggers in the database itself.

Operations call `record` in the transaction that does the thing, so an entry exists exactly
when the thing happened. Survivor data and feed tokens never enter it (changes.py).
"""

from .append_only import APPEND_ONLY_TABLES, create_triggers, drop_triggers
from .changes import HIDDEN, SURVIVOR_FIELDS, changed_fields
from .trail import AuditFilter, entries, entries_query, record, record_on

__all__ = [
    "APPEND_ONLY_TABLES",
    "HIDDEN",
    "SURVIVOR_FIELDS",
    "AuditFilter",
    "changed_fields",
    "create_triggers",
    "drop_triggers",
    "entries",
    "entries_query",
    "record",
    "record_on",
]
