"""My work: our overdue deadlines, the next 14 days, the answers the State, a court or a
Committee owes us and is late with, and my cases by stage, each with its nearest deadline.

Who sees the coordinators' dashboard works on no case of their own: they land on the
dashboard instead, and find My work in the menu."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..cases.access import can_see_dashboard, visible_cases
from ..cases.hearings import upcoming_hearings
from ..db import db
from ..models import Case, Deadline, DeadlineStatus, Proceeding
from ..registry import current_registry
from ..workflows.spec import Party
from .context import today

bp = Blueprint("home", __name__)
HORIZON = dt.timedelta(days=14)


def _my_case_ids():
    # Coordinators see every case elsewhere; "my work" is the cases one is on.
    return (
        visible_cases(current_user)
        .with_only_columns(Case.id)
        .where(Case.team.any(id=current_user.id))
    )


def my_open_deadlines(until: dt.date) -> list[Deadline]:
    cases = _my_case_ids()
    query = (
        db.select(Deadline)
        .join(Proceeding)
        .where(
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.due_date <= until,
            Proceeding.case_id.in_(cases),
        )
        .options(selectinload(Deadline.proceeding).selectinload(Proceeding.case))
        .order_by(Deadline.due_date)
    )
    return list(db.session.scalars(query))


def my_proceedings() -> list[Proceeding]:
    query = (
        db.select(Proceeding)
        .join(Case)
        .where(Proceeding.closed_on.is_(None), Case.team.any(id=current_user.id))
        .options(selectinload(Proceeding.case), selectinload(Proceeding.deadlines))
        .order_by(Proceeding.route, Proceeding.stage, Case.reference)
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
    day = today()
    deadlines = my_open_deadlines(day + HORIZON)
    registry = current_registry()
    by_stage = [
        (registry.route(route_id), stage, list(items))
        for (route_id, stage), items in groupby(my_proceedings(), key=lambda p: (p.route, p.stage))
        if route_id in registry.workflows.routes
    ]
    overdue = [d for d in deadlines if d.due_date < day]
    return render_template(
        "home/index.html",
        # Ours to act on, apart from what others owe us: a late answer is chased, not filed.
        overdue=[d for d in overdue if d.party == Party.US.value],
        others_overdue=[d for d in overdue if d.party != Party.US.value],
        upcoming=[d for d in deadlines if d.due_date >= day],
        by_stage=by_stage,
        nearest_deadline=nearest_deadline,
        hearings=upcoming_hearings(_my_case_ids()),
        today=day,
        registry=registry,
    )
