"""Editing a note in a case's history: a new version is added, never the event rewritten.

The event keeps the note it was recorded with; each edit is a NoteRevision row (append-only,
like the events). The case page shows the newest version marked as edited, the earlier ones
folded beneath it. The audit trail records who edited which event's note, never its text.
"""

from __future__ import annotations

from ..audit import record
from ..db import db
from ..errors import InvalidInput, msg
from ..models import AuditKind, Event, NoteRevision, User
from ..workflows.engine import RECALCULATION, STAGE_MIGRATION

MAX_NOTE = 5000
NOT_EDITABLE = frozenset({RECALCULATION, STAGE_MIGRATION})
"""Events the system records: their text says what the software did, nobody's note."""


def note_editable(event: Event) -> bool:
    """Whether a lawyer may write a new version of this event's note."""
    return event.trigger not in NOT_EDITABLE


def edit_note(
    event: Event, *, actor: User | None, note: str | None, expected_versions: int | None = None
) -> NoteRevision:
    """Add `note` as the newest version of the event's note; refuse an unchanged note, or one
    edited meanwhile by someone else (`expected_versions`: the count the editor saw)."""
    if not note_editable(event):
        raise InvalidInput({"note": msg("This entry was recorded by the system: it has no note.")})
    text = (note or "").strip() or None
    if text and len(text) > MAX_NOTE:
        raise InvalidInput({"note": msg("At most %(num)d characters.", num=MAX_NOTE)})
    if expected_versions is not None and expected_versions != len(event.note_revisions):
        raise InvalidInput(
            {
                "note": msg(
                    "Someone else changed this note while you were editing it: their version "
                    "is in the history; yours is kept in the box, to save again if it is right."
                )
            }
        )
    if text == event.current_note:
        raise InvalidInput({"note": msg("The note is unchanged.")})
    revision = NoteRevision(event_id=event.id, note=text, actor_id=actor.id if actor else None)
    db.session.add(revision)
    db.session.flush()
    db.session.expire(event, ["note_revisions"])
    record(
        AuditKind.NOTE_EDITED,
        actor=actor,
        case=event.proceeding.case_id,
        event=event.id,
        details={"proceeding": event.proceeding_id, "version": len(event.note_revisions) + 1},
    )
    return revision
