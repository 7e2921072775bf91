"""`litigation demo`: realistic data over every route, through the real operations."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from litigation.dashboard.milestones import FUNNEL, funnel
from litigation.dashboard.sql import Filters
from litigation.db import db
from litigation.models import Case, Deadline, DeadlineStatus, Event, Proceeding, User

from ..conftest import TODAY


def test_demo_fills_every_route_with_deadlines_spread_in_time(app):
    result = app.test_cli_runner().invoke(args=["demo", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 40
    roles = set(db.session.scalars(db.select(User.role)))
    assert roles == {"admin", "coordinator", "lawyer", "staff"}
    routes = set(db.session.scalars(db.select(Proceeding.route)))
    assert routes == set(app.extensions["litigation.registry"].workflows.routes)
    due = list(
        db.session.scalars(
            db.select(Deadline.due_date).where(Deadline.status == DeadlineStatus.OPEN)
        )
    )
    week = TODAY + dt.timedelta(days=7)
    assert any(d < TODAY for d in due), "some deadlines overdue"
    assert any(TODAY <= d <= week for d in due), "some due this week"
    assert any(d > week + dt.timedelta(days=30) for d in due), "some far away"
    handed_over = db.session.scalar(
        db.select(db.func.count()).select_from(Proceeding).where(Proceeding.parent_id.is_not(None))
    )
    assert handed_over >= 1, "at least one case reaches a UN route by hand-over"


def test_demo_writes_one_login_per_role_and_can_be_skipped(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--today", TODAY.isoformat()])
    assert first.exit_code == 0, first.output
    logins = Path(app.config["DEMO_CREDENTIALS_FILE"]).read_text(encoding="utf-8")
    for role in ("admin", "coordinator", "lawyer", "staff"):
        assert f"  {role} " in logins
    again = runner.invoke(args=["demo", "--if-empty"])
    assert "already present" in again.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 40


def test_demo_steps_are_spread_over_time_and_its_funnel_narrows(app):
    """A coordinator trusts the figures: no day holds more than a few % of the events (none
    piled onto "today"), and every funnel step holds at most the cases of the one before."""
    result = app.test_cli_runner().invoke(args=["demo", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output

    days = Counter(db.session.scalars(db.select(Event.occurred_on)))
    total = sum(days.values())
    assert total > 150
    assert max(days) <= TODAY
    assert max(days.values()) <= 0.03 * total, days.most_common(3)

    routes = app.extensions["litigation.registry"].workflows.routes.values()
    ever, this_year = Filters(), Filters(start=dt.date(TODAY.year, 1, 1), end=TODAY)
    for period in (ever, this_year):
        cohort, reached = funnel(routes, period)
        counts = [cohort, *(reached[key] for key, _names in FUNNEL)]
        assert counts == sorted(counts, reverse=True), (period, counts)
    assert funnel(routes, ever)[1]["un_submitted"] >= 1, "a communication to the UN to show"
