"""The cases list: the cases a user may see, searched, filtered and sorted, each with its
next open deadline. The list page and its CSV download ask the same question here.

Search folds case and ё/е on both sides, as a survivor's name is folded
(survivors.fold_name): the words typed here, the case's words in `Case.search_text` (kept by
summaries.py), so «семенов караганда» finds Семёнов's case in Караганда. Every word must
appear in one of the reference, the survivor's name, the place of the incident or the
authority, in any order. Sorting and filtering read columns of the case row and its indexes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, select

from ..db import db
from ..models import Case, Proceeding, User, case_assignments
from .access import visible_cases
from .survivors import fold_name

SEARCH_FIRST = 2000
"""A search matching at most this many cases starts the query from them."""
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


def search_condition(text: str) -> Any | None:
    """SQL: every word of `text` (folded) is in the case's folded reference, name, place or
    authority (summaries.search_text); None when `text` has no word."""
    words = fold_name(text).split()
    if not words:
        return None
    if db.session.get_bind().dialect.name == "sqlite":
        # instr() compares bytes: several times quicker than LIKE, and both sides are folded.
        return and_(*(func.instr(Case.search_text, word) > 0 for word in words))
    # LIKE, which PostgreSQL answers from the trigram index (0023).
    return and_(*(Case.search_text.contains(word, autoescape=True) for word in words))


def matching_cases(user: User, filters: CaseFilters, today: dt.date) -> Select:
    """SELECT Case: the cases `user` may see that match `filters`, in no order. A search
    that few cases match is read first, through the search index, and the rest of the
    query then starts from those cases."""
    query = visible_cases(user)
    if (condition := search_condition(filters.text)) is not None:
        found = select(Case.id).where(condition).limit(SEARCH_FIRST + 1)
        ids = list(db.session.scalars(found))
        query = query.where(Case.id.in_(ids) if len(ids) <= SEARCH_FIRST else condition)
    if filters.jurisdiction:
        query = query.where(Case.jurisdiction == filters.jurisdiction)
    if filters.route:
        query = query.where(Case.id.in_(_open_on(filters.route)))
    if filters.stage:
        query = query.where(
            Case.id.in_(_open_on(filters.stage_route).where(Proceeding.stage == filters.stage))
        )
    if filters.lawyer:
        team = select(case_assignments.c.case_id).where(
            case_assignments.c.user_id == filters.lawyer
        )
        query = query.where(Case.id.in_(team))
    if filters.overdue:
        query = query.where(Case.next_due < today)
    return query


def count_cases(matching: Select) -> int:
    """How many cases `matching` (matching_cases) holds."""
    return (
        db.session.scalar(matching.with_only_columns(func.count(), maintain_column_froms=True)) or 0
    )


def listed_cases(
    matching: Select,
    sort: str = "",
    *,
    limit: int | None = None,
    offset: int = 0,
    options: tuple = (),
) -> list[Any]:
    """(Case, next_due) rows of `matching` (matching_cases) sorted, cut to
    [offset, offset + limit). The default order (next deadline first, then the cases without
    one) is read as two index-ordered queries: an index holds NULL dates first, and sorting
    them last in one query would sort every case for every page."""
    base = matching.add_columns(Case.next_due).options(*options)
    if sort == "reference":
        return _rows(base.order_by(Case.reference, Case.id), limit, offset)
    if sort == "opened":
        return _rows(base.order_by(Case.opened_on.desc(), Case.id.desc()), limit, offset)
    dated = base.where(Case.next_due.is_not(None))
    dated = dated.order_by(Case.next_due, Case.reference, Case.id)
    undated = base.where(Case.next_due.is_(None)).order_by(Case.reference, Case.id)
    if limit is None:
        return _rows(dated, None, offset) + _rows(undated, None, 0)
    rows = _rows(dated, limit, offset)
    if len(rows) == limit:
        return rows
    # The page reaches past the dated cases: how many there are says where the rest begins.
    seen = (
        db.session.scalar(
            dated.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
        )
        or 0
    )
    return rows + _rows(undated, limit - len(rows), max(offset - seen, 0))


def _rows(query: Select, limit: int | None, offset: int) -> list[Any]:
    return list(db.session.execute(query.limit(limit).offset(offset or None)))


def _open_on(route: str) -> Select:
    """Case ids of the open proceedings, on `route` when one is named."""
    query = select(Proceeding.case_id).where(Proceeding.closed_on.is_(None))
    return query.where(Proceeding.route == route) if route else query
