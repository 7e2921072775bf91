"""The bottleneck histogram, kept per jurisdiction by the operations, equals the one counted
from the stays from scratch after each kind of change."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from litigation.cases.corrections import correct_event
from litigation.cases.operations import update_case
from litigation.dashboard import stages
from litigation.dashboard.sql import Filters
from litigation.db import db
from litigation.models import Case, Event, Proceeding, StageStay, StayDuration, User

from ..conftest import TODAY
from .test_dashboard import _step, history, people  # noqa: F401 (the history's fixtures)

D = dt.date


def _case(reference: str) -> Case:
    return db.session.scalar(select(Case).where(Case.reference == reference))


def _proceeding(reference: str) -> Proceeding:
    return _case(reference).proceedings[0]


def _step_taken(registry) -> None:
    _step(registry, _proceeding("D"), "register", D(2026, 11, 25))


def _date_corrected(registry) -> None:
    registered = db.session.scalar(
        select(Event).where(Event.proceeding_id == _proceeding("H").id, Event.trigger == "register")
    )
    correct_event(
        registry, registered, actor=None, changes={"occurred_on": D(2026, 9, 27)}, today=TODAY
    )


def _jurisdiction_changed(registry) -> None:
    update_case(_case("C"), {"jurisdiction": "TJ"}, today=TODAY, registry=registry)


def _changed_then_step_taken(registry) -> None:
    update_case(_case("D"), {"jurisdiction": "TJ"}, today=TODAY, registry=registry)
    _step_taken(registry)


def _team_changed(registry) -> None:
    marat = db.session.scalar(select(User).where(User.name == "Marat"))
    update_case(_case("A"), {}, team=[marat], today=TODAY, registry=registry)


def _kept() -> dict:
    rows = db.session.scalars(select(StayDuration).where(StayDuration.stays != 0))
    return {(d.jurisdiction, d.route, d.stage, d.days): d.stays for d in rows}


def _counted() -> dict:
    key = (Case.jurisdiction, StageStay.route, StageStay.stage, StageStay.days)
    rows = db.session.execute(
        select(*key, func.count())
        .join(Case, Case.id == StageStay.case_id)
        .where(StageStay.days.is_not(None))
        .group_by(*key)
    )
    return {tuple(row[:4]): row[4] for row in rows}


@pytest.mark.parametrize(
    "change",
    [
        _step_taken,
        _date_corrected,
        _jurisdiction_changed,
        _changed_then_step_taken,
        _team_changed,
        None,
    ],
)
@pytest.mark.usefixtures("history")
def test_the_kept_histogram_equals_the_stays_counted(registry, change):
    if change is not None:
        change(registry)
    db.session.commit()
    assert _kept() == _counted()


@pytest.mark.usefixtures("history")
def test_a_case_moved_to_another_jurisdiction_moves_its_stays(registry):
    kz = Filters(jurisdiction="KZ")
    before = {(r.route, r.stage): r.stays for r in stages.bottlenecks(_routes(registry), kz, TODAY)}
    _jurisdiction_changed(registry)
    db.session.commit()
    after = {(r.route, r.stage): r.stays for r in stages.bottlenecks(_routes(registry), kz, TODAY)}
    # C's one finished stay (reported 10-01 to 10-05) now counts under TJ.
    assert before["kz_criminal", "reported"] - after["kz_criminal", "reported"] == 1
    assert _kept() == _counted()


def _routes(registry):
    return registry.workflows.routes
