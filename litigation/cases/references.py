"""The reference a new case would take next, following the organisation's pattern
(REFERENCE_PATTERN, e.g. "{jurisdiction}-{year}-{number:03d}": KZ-2026-014 after KZ-2026-013).

Only a suggestion: the lawyer may type another, and opening the case still refuses a
reference taken meanwhile (operations.open_case, and the unique constraint behind it).
"""

from __future__ import annotations

import re
import string

from ..db import db
from ..models import Case

DEFAULT_PATTERN = "{jurisdiction}-{year}-{number:03d}"


def _parts(pattern: str, jurisdiction: str, year: int) -> tuple[str, str, str] | None:
    """(text before the number, the number's format spec, text after it) with the
    jurisdiction and year filled in; None for a pattern without exactly one {number}."""
    pieces = list(string.Formatter().parse(pattern))
    fields = [name for _text, name, _spec, _conv in pieces if name is not None]
    if fields.count("number") != 1 or not set(fields) <= {"jurisdiction", "year", "number"}:
        return None
    before, after, spec, seen = "", "", "", False
    for text, name, field_spec, _conversion in pieces:
        value = {"jurisdiction": jurisdiction, "year": year}.get(name or "", "")
        if name == "number":
            before, spec, seen = before + text, field_spec or "", True
            continue
        chunk = text + (format(value, field_spec or "") if name else "")
        before, after = (before, after + chunk) if seen else (before + chunk, after)
    return before, spec, after


def next_number(references: list[str], before: str, after: str) -> int:
    """One more than the highest number among `references` written as before + N + after."""
    shape = re.compile(re.escape(before) + r"(\d{1,9})" + re.escape(after))
    numbers = [int(m.group(1)) for ref in references if (m := shape.fullmatch(ref))]
    return max(numbers, default=0) + 1


def suggest_reference(jurisdiction: str, year: int, pattern: str = DEFAULT_PATTERN) -> str:
    """The next free reference for `jurisdiction` and `year` (every case counts, seen by the
    user or not: the reference must be free); '' for a pattern that cannot number cases."""
    try:
        parts = _parts(pattern, jurisdiction, year)
        if parts is None:
            return ""
        before, spec, after = parts
        format(1, spec)
    except (ValueError, TypeError):
        return ""
    query = db.select(Case.reference).where(
        Case.reference.startswith(before, autoescape=True), Case.reference.endswith(after)
    )
    number = next_number(list(db.session.scalars(query)), before, after)
    while True:  # a number written by hand further on ("KZ-2026-7" beside "KZ-2026-007")
        reference = f"{before}{format(number, spec)}{after}"
        if not db.session.scalar(db.select(Case.id).where(Case.reference == reference)):
            return reference
        number += 1
