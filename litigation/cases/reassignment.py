"""A deactivated colleague's open cases, and handing them to someone else.

Deactivating a user keeps their assignments: who worked on a case stays true, and no case
silently loses its lawyer. The cases that need someone new are the open ones (a proceeding
not closed) with an inactive user on the team. Each hand-over is a team change, versioned
like an edit of the case and kept on the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.orm import contains_eager, selectinload

from ..audit import record
from ..db import db
from ..errors import InvalidInput, Msg, StaleCase, msg
from ..models import AuditKind, Case, Deadline, DeadlineStatus, Proceeding, User, case_assignments
from . import access
from .changes import mark_cases, mark_users

links = case_assignments.c


@dataclass(frozen=True)
class OrphanedCase:
    """An open case with an inactive member on its team."""

    case: Case
    departed: list[User]  # the inactive members
    deadlines: list[Deadline]  # open deadlines of its open proceedings, nearest first
    has_active_lawyer: bool

    @property
    def next_due(self) -> dt.date | None:
        return self.deadlines[0].due_date if self.deadlines else None


@dataclass
class Reassigned:
    """What a hand-over of many cases did: the cases moved, and those changed meanwhile."""

    moved: list[Case] = field(default_factory=list)
    conflicts: list[Case] = field(default_factory=list)


def _open_cases() -> Select:
    return select(Proceeding.case_id).where(Proceeding.closed_on.is_(None))


def _departed_links(departed: User | None = None) -> Select:
    """(case_id, user_id) of inactive members of open cases (of `departed` only, if given)."""
    query = (
        select(links.case_id, links.user_id)
        .join(User, User.id == links.user_id)
        .where(User.active.is_(False), links.case_id.in_(_open_cases()))
    )
    return query.where(links.user_id == departed.id) if departed else query


def _next_due() -> Select:
    return (
        select(Proceeding.case_id, func.min(Deadline.due_date).label("next_due"))
        .join(Deadline, Deadline.proceeding_id == Proceeding.id)
        .where(Proceeding.closed_on.is_(None), Deadline.status == DeadlineStatus.OPEN)
        .group_by(Proceeding.case_id)
    )


def count_orphaned(departed: User | None = None) -> int:
    """How many open cases have an inactive member (`departed`, if given)."""
    cases = _departed_links(departed).with_only_columns(links.case_id).distinct()
    return db.session.scalar(select(func.count()).select_from(cases.subquery())) or 0


def orphaned_counts() -> dict[int, int]:
    """Per inactive user, how many open cases still have them on the team."""
    pairs = _departed_links().subquery()
    query = select(pairs.c.user_id, func.count()).group_by(pairs.c.user_id)
    return {user_id: count for user_id, count in db.session.execute(query)}


def versions_of(departed: User) -> dict[int, int]:
    """The version of each open case `departed` is still on, for a form handing them all over."""
    theirs = _departed_links(departed).with_only_columns(links.case_id)
    query = select(Case.id, Case.version).where(Case.id.in_(theirs))
    return {case_id: version for case_id, version in db.session.execute(query)}


def orphaned_cases(
    departed: User | None = None, *, limit: int | None = None, offset: int = 0
) -> list[OrphanedCase]:
    """Open cases with an inactive member (`departed`, if given), the nearest deadline first."""
    next_due = _next_due().subquery()
    wanted = _departed_links(departed).with_only_columns(links.case_id)
    query = (
        select(Case)
        .outerjoin(next_due, next_due.c.case_id == Case.id)
        .where(Case.id.in_(wanted))
        .options(selectinload(Case.team))
        .order_by(next_due.c.next_due.is_(None), next_due.c.next_due, Case.reference)
        .limit(limit)
        .offset(offset)
    )
    cases = list(db.session.scalars(query))
    deadlines = _open_deadlines([case.id for case in cases])
    return [
        OrphanedCase(
            case=case,
            departed=[user for user in case.team if not user.active],
            deadlines=deadlines.get(case.id, []),
            has_active_lawyer=any(access.is_active_lawyer(user) for user in case.team),
        )
        for case in cases
    ]


def _open_deadlines(case_ids: list[int]) -> dict[int, list[Deadline]]:
    query = (
        select(Deadline)
        .join(Deadline.proceeding)
        .options(contains_eager(Deadline.proceeding))  # its route names the rule
        .where(
            Proceeding.case_id.in_(case_ids),
            Proceeding.closed_on.is_(None),
            Deadline.status == DeadlineStatus.OPEN,
        )
        .order_by(Deadline.due_date, Deadline.id)
    )
    found: dict[int, list[Deadline]] = {}
    for deadline in db.session.scalars(query):
        found.setdefault(deadline.proceeding.case_id, []).append(deadline)
    return found


def why_not_take_over(user: User, departed: User) -> Msg | None:
    """Why `user` may not take `departed`'s place on a team; None if they may."""
    if access.can_take_over(user, departed):
        return None
    if user.id == departed.id:
        return msg("Choose someone other than %(name)s.", name=user.name)
    if not user.active:
        return msg("%(name)s is deactivated and cannot take over cases.", name=user.name)
    if not access.may_join_a_team(user):
        return msg(
            "%(name)s sees every case and is not assigned to teams: choose a lawyer.",
            name=user.name,
        )
    return msg(
        "%(name)s is staff and cannot act on cases: choose a lawyer to take over from "
        "%(departed)s.",
        name=user.name,
        departed=departed.name,
    )


def _refuse_ineligible(to_user: User, from_user: User) -> None:
    reason = why_not_take_over(to_user, from_user)
    if reason:
        raise InvalidInput({"to_user": reason})


def reassign(
    case: Case, from_user: User, to_user: User, *, actor: User | None, expected_version: int
) -> Case:
    """Put `to_user` on the team in `from_user`'s place; StaleCase if the case changed since
    the form showed version `expected_version`."""
    _refuse_ineligible(to_user, from_user)
    if not _move(case, from_user, to_user, expected_version, actor=actor):
        raise StaleCase()
    return case


def reassign_all(
    from_user: User, to_user: User, *, actor: User | None, versions: Mapping[int, int]
) -> Reassigned:
    """Hand every open case of `from_user` listed in `versions` (case id: the version shown)
    to `to_user`; a case changed since it was shown is left as it is and reported."""
    _refuse_ineligible(to_user, from_user)
    result = Reassigned()
    mine = select(Case).where(
        Case.id.in_(_departed_links(from_user).with_only_columns(links.case_id))
    )
    seen = set()
    for case in db.session.scalars(mine.order_by(Case.reference)):
        if case.id in versions:
            seen.add(case.id)
            moved = _move(case, from_user, to_user, versions[case.id], actor=actor)
            (result.moved if moved else result.conflicts).append(case)
    gone = [case_id for case_id in versions if case_id not in seen]
    result.conflicts += db.session.scalars(select(Case).where(Case.id.in_(gone)))
    return result


def _move(
    case: Case, from_user: User, to_user: User, expected_version: int, *, actor: User | None
) -> bool:
    """Swap the two people on the case if it still has `expected_version`; False if not.

    The conditional UPDATE is the version check: on PostgreSQL it waits for a concurrent
    save of the case and then finds the version moved, on SQLite writers take turns. No
    exception is needed, so one changed case never undoes the others of a hand-over.
    """
    cases = Case.__table__.c
    bumped = db.session.execute(
        update(Case.__table__)
        .where(cases.id == case.id, cases.version == expected_version)
        .values(version=cases.version + 1)
    )
    if bumped.rowcount != 1:
        return False
    # Read after the UPDATE, not from the case as loaded: the team as it is at this version.
    removed = db.session.execute(
        delete(case_assignments).where(links.case_id == case.id, links.user_id == from_user.id)
    )
    if removed.rowcount != 1:  # every team change moves the version: only a crafted form
        raise InvalidInput(
            {"from_user": msg("%(name)s is not on this case's team.", name=from_user.name)}
        )
    on_team = select(links.user_id).where(links.case_id == case.id, links.user_id == to_user.id)
    added = [] if db.session.scalar(on_team) else [to_user.id]
    if added:
        db.session.execute(insert(case_assignments).values(case_id=case.id, user_id=to_user.id))
    # A departed backup lawyer is a backup no more (cases/backup.py): the role ends with the team.
    no_backup = db.session.execute(
        update(Case.__table__)
        .where(cases.id == case.id, cases.backup_lawyer_id == from_user.id)
        .values(backup_lawyer_id=None)
    )
    mark_cases(db.session, [case.id])
    mark_users(db.session, [from_user.id, to_user.id])
    db.session.expire(case, ["version", "team", "backup_lawyer_id", "backup_lawyer"])
    db.session.expire(from_user, ["cases"])
    db.session.expire(to_user, ["cases"])
    details = {"removed": [from_user.id], "added": added, "reason": "reassigned"}
    if no_backup.rowcount:
        details["backup"] = None
    record(AuditKind.TEAM_CHANGED, actor=actor, case=case, details=details)
    return True
