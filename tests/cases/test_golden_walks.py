"""Every shipped route walked end to end, as recorded in tests/data/golden/*.yaml.

Each golden file was worked out by hand from the counting rules; the walk goes through the
same operations the web interface calls.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from litigation.cases.consents import record_consent
from litigation.cases.corrections import correct_event
from litigation.cases.operations import fire, open_case, open_proceeding
from litigation.db import db
from litigation.models import Case, Proceeding

from ..conftest import DATA, SHIPPED_WORKFLOWS, TODAY

GOLDEN = sorted((DATA / "golden").glob("*.yaml"))


def _open_deadlines(proceeding: Proceeding) -> dict[str, dt.date]:
    return {d.rule: d.due_date for d in proceeding.deadlines if d.is_open}


def _latest(proceeding: Proceeding) -> dict[str, dt.date]:
    """How late each open deadline of an unverified rule with alternatives could be."""
    return {d.rule: d.latest_due for d in proceeding.deadlines if d.is_open and d.latest_due}


def _check(proceeding: Proceeding, expect: dict[str, Any], where: str) -> None:
    if "stage" in expect:
        assert proceeding.stage == expect["stage"], where
    if "open_deadlines" in expect:
        assert _open_deadlines(proceeding) == (expect["open_deadlines"] or {}), where
    if "latest" in expect:
        assert _latest(proceeding) == (expect["latest"] or {}), where


def _record_later(registry, proceeding: Proceeding, dates: dict) -> None:
    step_event = [event for event in proceeding.events if event.to_stage == proceeding.stage][-1]
    correct_event(registry, step_event, actor=None, changes=dates, today=TODAY)
    db.session.flush()


def _proceeding_on(case: Case, route: str) -> Proceeding:
    matching = [p for p in case.proceedings if p.route == route]
    assert matching, f"the case has no proceeding on {route}"
    return matching[-1]


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: path.stem)
def test_golden_walk(registry, path: Path):
    walk = yaml.safe_load(path.read_text(encoding="utf-8"))
    case = open_case(
        reference=path.stem[:40],
        survivor_name="Golden",
        jurisdiction=walk["jurisdiction"],
        opened_on=walk["open"]["date"],
        incident_date=walk.get("incident_on"),
    )
    for scope in walk.get("consents", ["litigation"]):
        details = {"scope": scope, "given_on": walk["open"]["date"]}
        record_consent(case, details, actor=None, today=TODAY)
    proceeding = open_proceeding(
        registry,
        case,
        walk["route"],
        actor=None,
        opened_on=walk["open"]["date"],
        today=TODAY,
        facts=walk["open"].get("facts") or {},
    )
    _check(proceeding, walk.get("expect") or {}, f"{path.name}: after opening")
    for number, step in enumerate(walk["steps"], start=1):
        target = _proceeding_on(case, step.get("route", walk["route"]))
        if "record" in step:  # a date learned after its step, recorded on that step's event
            where = f"{path.name}: step {number} (record {sorted(step['record'])})"
            _record_later(registry, target, step["record"])
            _check(target, step.get("expect") or {}, where)
            continue
        where = f"{path.name}: step {number} ({step['fire']})"
        result = fire(
            registry,
            target,
            step["fire"],
            actor=None,
            occurred_on=step["date"],
            today=TODAY,
            facts=step.get("facts") or {},
        )
        db.session.flush()
        expect = step.get("expect") or {}
        _check(target, expect, where)
        if "closed" in expect:
            assert {d.rule: d.status for d in result.closed} == (expect["closed"] or {}), where
        if "opened" in expect:
            assert [p.route for p in result.handed_over] == (expect["opened"] or []), where
    assert any(registry.route(p.route).stage(p.stage).final for p in case.proceedings), (
        f"{path.name} does not reach a final stage"
    )


def test_every_shipped_route_has_a_golden_walk():
    walked = {yaml.safe_load(path.read_text(encoding="utf-8"))["route"] for path in GOLDEN}
    declared = set(yaml.safe_load(SHIPPED_WORKFLOWS.read_text(encoding="utf-8"))["routes"])
    assert declared <= walked, f"routes without a golden walk: {sorted(declared - walked)}"
