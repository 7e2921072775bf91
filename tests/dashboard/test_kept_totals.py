"""The closed deadlines' totals, kept by the operations, equal the totals counted from the
deadline rows from scratch after each kind of change, and the dashboard reads the same figures
from them as from every deadline."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from sqlalchemy import select

from litigation.cases.corrections import correct_event, override_deadline
from litigation.cases.operations import update_case
from litigation.cases.totals import FIGURES, count_totals, counted
from litigation.dashboard import deadlines, kept
from litigation.dashboard.sql import Filters
from litigation.db import db
from litigation.models import Case, Deadline, DeadlineStatus, DeadlineTotal, Event, User

from ..conftest import TODAY
from .test_dashboard import _step, history, people  # noqa: F401 (the history's fixtures)

D = dt.date


def _case(reference: str) -> Case:
    return db.session.scalar(select(Case).where(Case.reference == reference))


def _step_taken(registry) -> None:
    _step(registry, _case("D").proceedings[0], "register", D(2026, 11, 25))


def _date_corrected(registry) -> None:
    registered = db.session.scalar(
        select(Event).where(
            Event.proceeding_id == _case("H").proceedings[0].id, Event.trigger == "register"
        )
    )
    correct_event(
        registry, registered, actor=None, changes={"occurred_on": D(2026, 9, 27)}, today=TODAY
    )


def _closed_overridden(registry) -> None:
    closed = db.session.scalar(
        select(Deadline)
        .where(Deadline.status == DeadlineStatus.MISSED)
        .order_by(Deadline.id)
        .limit(1)
    )
    later = closed.due_date + dt.timedelta(days=30)
    override_deadline(closed, actor=None, new_due=later, reason="Court extended", today=TODAY)


def _closing_date_corrected(registry) -> None:
    """The step that closed a missed deadline dated on its due date: met after all."""
    missed = db.session.scalars(
        select(Deadline).where(Deadline.status == DeadlineStatus.MISSED).order_by(Deadline.id)
    ).all()
    deadline = next(d for d in missed if d.closed_by_event_id is not None)
    closing = db.session.get(Event, deadline.closed_by_event_id)
    correct_event(
        registry, closing, actor=None, changes={"occurred_on": deadline.due_date}, today=TODAY
    )
    assert deadline.status == DeadlineStatus.MET


def _jurisdiction_changed(registry) -> None:
    update_case(_case("C"), {"jurisdiction": "TJ"}, today=TODAY, registry=registry)


def _authority_changed(registry) -> None:
    update_case(_case("A"), {"authority": "Another court"}, today=TODAY, registry=registry)


def _reassigned(registry) -> None:
    marat = db.session.scalar(select(User).where(User.name == "Marat"))
    update_case(_case("A"), {}, team=[marat], today=TODAY, registry=registry)


def _kept() -> dict:
    rows = db.session.scalars(select(DeadlineTotal))
    totals = {
        (t.party, t.jurisdiction, t.authority, t.route, t.stage, t.rule): tuple(
            getattr(t, name) for name in FIGURES
        )
        for t in rows
    }
    return {key: value for key, value in totals.items() if any(value)}


def _counted() -> dict:
    rows = db.session.execute(counted(db.session.get_bind().dialect.name))
    return {tuple(row[:6]): tuple(int(v) for v in row[6:]) for row in rows}


CHANGES = [
    _step_taken,
    _date_corrected,
    _closed_overridden,
    _closing_date_corrected,
    _jurisdiction_changed,
    _authority_changed,
    _reassigned,
    None,
]


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.usefixtures("history")
def test_the_kept_totals_equal_the_deadlines_counted(registry, change):
    if change is not None:
        change(registry)
    db.session.commit()
    assert _kept() == _counted()


def _from_scratch(filters: Filters) -> tuple[list, list]:
    """The time per party and the State's delays read from every deadline."""
    ball = [tuple(row) for row in db.session.execute(deadlines._ball(filters, TODAY))]
    figures = (deadlines.cast(deadlines.func.avg(_days_late()), deadlines.Integer),)
    late = deadlines.or_(deadlines._overdue(TODAY), Deadline.status == DeadlineStatus.MISSED)
    query = deadlines._state_delays(filters, figures, Deadline.party == "state", late)
    delays = {tuple(row) for row in db.session.execute(query)}
    return ball, sorted(delays, key=str)


def _days_late():
    closed = deadlines.func.coalesce(Deadline.closed_on, deadlines.literal(TODAY))
    return deadlines.days_between(Deadline.due_date, closed)


def _read(filters: Filters) -> tuple[list, list]:
    ball = [tuple(row) for row in deadlines.ball(filters, TODAY)]
    delays = {tuple(row) for row in deadlines.state_delays(filters, TODAY)}
    return ball, sorted(delays, key=str)


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(jurisdiction="KZ"), Filters(route="kz_criminal")]
)
@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.usefixtures("history")
def test_the_dashboard_reads_the_same_figures_from_the_totals(registry, change, filters):
    if change is not None:
        change(registry)
    db.session.commit()
    assert kept.usable(filters)
    assert _read(filters) == _from_scratch(filters)


@pytest.mark.usefixtures("history")
def test_the_state_delays_keep_their_order(registry):
    rows = deadlines.state_delays(Filters(), TODAY)
    order = [(-(r.overdue + r.late), r.authority is None, r.authority or "") for r in rows]
    if db.session.get_bind().dialect.name == "sqlite":
        order = [(count, not none, name) for count, none, name in order]
    assert order == sorted(order)


@pytest.mark.usefixtures("history")
def test_the_migration_counts_the_deadlines_already_there(registry):
    db.session.execute(db.delete(DeadlineTotal))
    migration = importlib.import_module("litigation.migrations.versions.0025_deadline_totals")
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    ran = migration.DAYS[sqlite].format(start="d.anchor_date")
    late = migration.DAYS[sqlite].format(start="d.due_date")
    db.session.execute(db.text(migration.COUNTED.format(ran=ran, late=late)))
    assert _kept() == _counted() != {}
    count_totals(db.session.connection())
    assert _kept() == _counted()
