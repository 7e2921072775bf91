"""My work: overdue deadlines, the next 14 days, and my cases by stage with the next step.

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
        .options(selectinload(Proceeding.case))
        .order_by(Proceeding.route, Proceeding.stage, Case.reference)
    )
    return list(db.session.scalars(query))


def landing() -> str:
    """Where a user starts: the dashboard for those who see it, My work for the others."""
    if can_see_dashboard(current_user):
        return url_for("dashboard.index")
    return url_for("home.index")


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
    return render_template(
        "home/index.html",
        overdue=[d for d in deadlines if d.due_date < day],
        upcoming=[d for d in deadlines if d.due_date >= day],
        by_stage=by_stage,
        hearings=upcoming_hearings(_my_case_ids()),
        today=day,
        registry=registry,
    )
