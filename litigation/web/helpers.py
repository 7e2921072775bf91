"""Loading records for a view with the access check done once, in one place."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user

from ..cases.access import can_act, can_view
from ..db import db
from ..models import Case, Deadline, Event, Proceeding


def case_or_404(case_id: int) -> Case:
    """The case if the signed-in user may see it; 404 otherwise (its existence stays secret)."""
    case = db.session.get(Case, case_id)
    if case is None or not can_view(current_user, case):
        abort(404)
    return case


def proceeding_or_404(case: Case, proceeding_id: int) -> Proceeding:
    proceeding = db.session.get(Proceeding, proceeding_id)
    if proceeding is None or proceeding.case_id != case.id:
        abort(404)
    return proceeding


def event_or_404(case: Case, event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or event.proceeding.case_id != case.id:
        abort(404)
    return event


def deadline_or_404(case: Case, deadline_id: int) -> Deadline:
    deadline = db.session.get(Deadline, deadline_id)
    if deadline is None or deadline.proceeding.case_id != case.id:
        abort(404)
    return deadline


def require_act(case: Case) -> None:
    """403 for users who may see the case but not act on it (staff)."""
    if not can_act(current_user, case):
        abort(403)


def history_url(proceeding: Proceeding) -> str:
    """The page where a running proceeding's past steps are entered, oldest first."""
    return url_for("history.sequence", case_id=proceeding.case_id, proceeding_id=proceeding.id)
