"""The cases list: the cases a user may see, searched, filtered and sorted, each with its
next open deadline. The list page and its CSV download ask the same question here.

Search folds case and ё/е on both sides, as a survivor's name is folded
(survivors.fold_name): the words typed are folded in Python, the columns in SQL (db.folded),
so «семенов караганда» finds Семёнов's case in Караганда. Every word must appear in one of
the reference, the survivor's name, the place of the incident or the authority.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_

from ..db import db, folded
from ..models import Case, Deadline, DeadlineStatus, Proceeding, Survivor, User
from .access import visible_cases
from .survivors import fold_name

SORTS = ("", "reference", "opened")
"""Next deadline first (the default), by reference, newest first."""


@dataclass(frozen=True)
class CaseFilters:
    """What the list is narrowed to; empty values filter nothing."""

    text: str = ""
    jurisdiction: str = ""
    route: str = ""
    # A stage is a stage of one route (stage ids repeat across routes): `stage_route` names
    # it; empty only for an old link that gave a stage id alone (any route at that stage).
    stage_route: str = ""
    stage: str = ""
    lawyer: int | None = None
    overdue: bool = False
    sort: str = ""

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (the sort order does not)."""
        return any(
            (self.text, self.jurisdiction, self.route, self.stage, self.lawyer, self.overdue)
        )


def next_due_dates() -> Any:
    """A subquery: (case_id, next_due) the earliest open deadline of each case that has one."""
    return (
        db.select(Proceeding.case_id, func.min(Deadline.due_date).label("next_due"))
        .join(Deadline)
        .where(Deadline.status == DeadlineStatus.OPEN)
        .group_by(Proceeding.case_id)
        .subquery()
    )


def search_condition(text: str) -> Any | None:
    """SQL: every word of `text` (folded) is in the folded reference, name, place or
    authority; None when `text` has no word."""
    columns = (
        folded(Case.reference),
        Survivor.name_folded,
        folded(Case.incident_place),
        folded(Case.authority),
    )
    words = fold_name(text).split()
    if not words:
        return None
    return and_(
        *(or_(*(column.contains(word, autoescape=True) for column in columns)) for word in words)
    )


def filtered_cases(user: User, filters: CaseFilters, today: dt.date) -> Select:
    """SELECT (Case, next_due) of the cases `user` may see that match `filters`, sorted."""
    next_due = next_due_dates()
    query = visible_cases(user).outerjoin(next_due, next_due.c.case_id == Case.id)
    if (condition := search_condition(filters.text)) is not None:
        query = query.join(Survivor, Survivor.id == Case.survivor_id).where(condition)
    if filters.jurisdiction:
        query = query.where(Case.jurisdiction == filters.jurisdiction)
    if filters.route:
        query = query.where(Case.proceedings.any(_open_on(filters.route)))
    if filters.stage:
        at_stage = _open_on(filters.stage_route) & (Proceeding.stage == filters.stage)
        query = query.where(Case.proceedings.any(at_stage))
    if filters.lawyer:
        query = query.where(Case.team.any(id=filters.lawyer))
    if filters.overdue:
        query = query.where(next_due.c.next_due < today)
    return query.add_columns(next_due.c.next_due).order_by(*_order(filters.sort, next_due))


def _open_on(route: str) -> Any:
    """An open proceeding, on `route` when one is named."""
    condition = Proceeding.closed_on.is_(None)
    return condition & (Proceeding.route == route) if route else condition


def _order(sort: str, next_due: Any) -> list[Any]:
    if sort == "reference":
        return [Case.reference, Case.id]
    if sort == "opened":
        return [Case.opened_on.desc(), Case.id.desc()]
    return [next_due.c.next_due.is_(None), next_due.c.next_due, Case.reference, Case.id]
