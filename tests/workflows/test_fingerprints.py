"""A deadline's fingerprint changes with what decides its date, never with its wording."""

from __future__ import annotations

import dataclasses

import pytest

from litigation.workflows.fingerprints import route_version, rule_fingerprint
from litigation.workflows.loader import load_workflows
from litigation.workflows.spec import Period, Text, Unit

from ..conftest import MINIMAL_WORKFLOWS


@pytest.fixture(scope="module")
def minimal():
    return load_workflows(MINIMAL_WORKFLOWS)


@pytest.fixture(scope="module")
def appeal(minimal):
    [rule] = minimal.route("domestic").stage("decided").deadlines
    return rule


@pytest.mark.parametrize(
    "change",
    [
        {"period": Period(10, Unit.DAYS)},
        {"anchor": "decided_on"},
        {"verified": False},
        {"roll_forward": False},
        {"met_by": ("give_up",)},
    ],
)
def test_what_decides_a_date_or_status_changes_the_fingerprint(minimal, appeal, change):
    calendar = minimal.calendars["KZ"]

    assert rule_fingerprint(dataclasses.replace(appeal, **change), calendar) != rule_fingerprint(
        appeal, calendar
    )


def test_wording_leaves_the_fingerprint_alone(minimal, appeal):
    calendar = minimal.calendars["KZ"]
    reworded = dataclasses.replace(appeal, label=Text("Жалоба", "Complaint"), line=999)

    assert rule_fingerprint(reworded, calendar) == rule_fingerprint(appeal, calendar)


def test_a_calendar_change_changes_the_fingerprint(minimal, appeal):
    calendar = minimal.calendars["KZ"]
    other = dataclasses.replace(calendar, weekend=frozenset({7}))

    assert rule_fingerprint(appeal, other) != rule_fingerprint(appeal, calendar)


def test_a_route_version_follows_its_stages_and_transitions(minimal):
    route = minimal.route("domestic")
    renamed = dataclasses.replace(route, stages=route.stages[:-1])

    assert route_version(route) == route_version(dataclasses.replace(route, title=Text("a", "b")))
    assert route_version(renamed) != route_version(route)
