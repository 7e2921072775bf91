"""A case's backup lawyer: told, beside the coordinators, when a deadline of ours is missed
or a stage stalls. One of the case's own lawyers, so the warning never reaches someone who
may not see the case; leaving the team ends the role.

Setting it changes the case row, so it follows the case's version like any edit (StaleCase).
"""

from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from ..audit import record
from ..db import db
from ..errors import InvalidInput, Msg, StaleCase, msg
from ..models import AuditKind, Case, User
from . import access


def why_not_backup(case: Case, user: User) -> Msg | None:
    """Why `user` may not be the case's backup lawyer; None if they may."""
    if not access.is_active_lawyer(user):
        return msg(
            "%(name)s is not an active lawyer: choose a lawyer who acts on this case.",
            name=user.name,
        )
    if not access.can_view(user, case) or user not in case.team:
        return msg(
            "%(name)s is not on this case's team: tick them in the team first, or choose "
            "someone on it.",
            name=user.name,
        )
    return None


def set_backup_lawyer(case: Case, user: User | None, *, actor: User | None) -> bool:
    """Make `user` (None: nobody) the case's backup lawyer; InvalidInput beside the field if
    they may not be. Returns whether it changed (flushes, never commits)."""
    if user is not None and (reason := why_not_backup(case, user)):
        raise InvalidInput({"backup_lawyer": reason})
    wanted = user.id if user is not None else None
    if case.backup_lawyer_id == wanted:
        return False
    case.backup_lawyer_id = wanted
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleCase() from error
    db.session.expire(case, ["backup_lawyer"])
    record(AuditKind.TEAM_CHANGED, actor=actor, case=case, details={"backup": wanted})
    return True


def drop_backup_not_on(case: Case, team_ids: set[int]) -> bool:
    """Clear the backup lawyer when they are no longer on the team (the edit audits it)."""
    if case.backup_lawyer_id is None or case.backup_lawyer_id in team_ids:
        return False
    case.backup_lawyer_id = None
    return True
