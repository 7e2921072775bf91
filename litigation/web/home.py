"""My work: our overdue deadlines, the next 14 days, the answers the State, a court or a
Committee owes us and is late with, and my cases by stage, each with its nearest deadline,
in pages of 25 (the deadlines and hearings on the first page, where a lawyer starts).

Who sees the coordinators' dashboard works on no case of their own: they land on the
dashboard instead, and find My work in the menu."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from ..cases.access import can_see_dashboard
from ..cases.hearings import upcoming_hearings
from ..dashboard.sql import deadline_open
from ..db import db
from ..models import Case, Deadline, Proceeding, case_assignments
from ..registry import current_registry
from ..workflows.spec import Party
from .context import today
from .inputs import page_in

bp = Blueprint("home", __name__)
HORIZON = dt.timedelta(days=14)
PAGE_SIZE = 25
"""Open proceedings per page of «My cases by stage»."""
DEADLINES_SHOWN = 10
"""Deadlines shown in each list of page 1; the cases list filtered shows them all."""


def _my_case_ids():
    # Coordinators see every case elsewhere; "my work" is the cases one is on.
    return select(case_assignments.c.case_id).where(case_assignments.c.user_id == current_user.id)


def _my_open_deadlines(*conditions: Any) -> Any:
    return (
        db.select(Deadline)
        .join(Proceeding)
        .where(deadline_open(), Proceeding.case_id.in_(_my_case_ids()), *conditions)
    )


def count_my_deadlines(sections: dict[str, Any], until: dt.date) -> dict[str, int]:
    """How many open deadlines of the user's cases each section holds, in one reading."""
    sums = [
        func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(name)
        for name, condition in sections.items()
    ]
    query = _my_open_deadlines(Deadline.due_date <= until).with_only_columns(*sums)
    return dict(db.session.execute(query).one()._mapping)


def my_open_deadlines(condition: Any, *, limit: int | None = None) -> list[Deadline]:
    """The open deadlines of the user's cases that meet `condition`, the earliest due first."""
    query = _my_open_deadlines(condition).options(
        selectinload(Deadline.proceeding).selectinload(Proceeding.case)
    )
    return list(db.session.scalars(query.order_by(Deadline.due_date, Deadline.id).limit(limit)))


def _my_open_proceedings() -> Any:
    return (
        db.select(Proceeding)
        .join(Case)
        .where(Proceeding.closed_on.is_(None), Proceeding.case_id.in_(_my_case_ids()))
    )


def count_my_proceedings() -> int:
    """How many open proceedings the user's cases have."""
    query = select(func.count()).where(
        Proceeding.closed_on.is_(None), Proceeding.case_id.in_(_my_case_ids())
    )
    return db.session.scalar(query) or 0


def my_proceedings(*, limit: int | None = None, offset: int = 0) -> list[Proceeding]:
    """The open proceedings of the user's cases by route, stage and reference (one page)."""
    query = (
        _my_open_proceedings()
        .options(selectinload(Proceeding.case), selectinload(Proceeding.deadlines))
        .order_by(Proceeding.route, Proceeding.stage, Case.reference, Proceeding.id)
        .limit(limit)
        .offset(offset or None)
    )
    return list(db.session.scalars(query))


def landing() -> str:
    """Where a user starts: the dashboard for those who see it, My work for the others."""
    if can_see_dashboard(current_user):
        return url_for("dashboard.index")
    return url_for("home.index")


def nearest_deadline(proceeding: Proceeding) -> Deadline | None:
    """The open deadline of the proceeding due first, whoever must act."""
    open_ones = [d for d in proceeding.deadlines if d.is_open]
    return min(open_ones, key=lambda d: (d.due_date, d.id)) if open_ones else None


@bp.route("/")
def index():
    if can_see_dashboard(current_user):
        return redirect(landing())
    return mine()


@bp.route("/my-work")
def mine():
    """Page 1: what is overdue and due soon, the next hearings, then the cases by stage;
    the pages after it continue the cases by stage alone."""
    day = today()
    registry = current_registry()
    total = count_my_proceedings()
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page, note = page_in(pages)
    items = my_proceedings(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    by_stage = [
        (registry.route(route_id), stage, list(group))
        for (route_id, stage), group in groupby(items, key=lambda p: (p.route, p.stage))
        if route_id in registry.workflows.routes
    ]
    ours = Deadline.party == Party.US.value
    sections = {
        # Ours to act on, apart from what others owe us: a late answer is chased, not filed.
        "overdue": and_(Deadline.due_date < day, ours),
        "others_overdue": and_(Deadline.due_date < day, ~ours),
        "upcoming": Deadline.due_date.between(day, day + HORIZON),
    }
    deadlines = {name: (0, []) for name in sections}
    if page == 1:
        counts = count_my_deadlines(sections, day + HORIZON)
        deadlines = {
            name: (counts[name], my_open_deadlines(condition, limit=DEADLINES_SHOWN))
            for name, condition in sections.items()
        }
    return render_template(
        "home/index.html",
        deadlines=deadlines,
        by_stage=by_stage,
        nearest_deadline=nearest_deadline,
        hearings=upcoming_hearings(_my_case_ids()) if page == 1 else [],
        today=day,
        registry=registry,
        page=page,
        pages=pages,
        total=total,
        page_size=PAGE_SIZE,
        note=note,
        page_url=lambda number: url_for("home.mine", page=number, _anchor="by-stage"),
    )
