"""A deactivated colleague's open cases: which they are, and handing them over versioned."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.accounts import update_user
from litigation.cases import fire
from litigation.cases.reassignment import (
    orphaned_cases,
    orphaned_counts,
    reassign,
    reassign_all,
)
from litigation.db import db
from litigation.errors import InvalidInput, StaleCase
from litigation.models import AuditEntry, AuditKind, Case, Role

from ..conftest import TODAY

D = dt.date


def decide(registry, proceeding, learned_on: dt.date) -> None:
    """The decision step: opens a 15-day appeal deadline from `learned_on`."""
    facts = {"decided_on": learned_on, "learned_on": learned_on, "outcome": "refused"}
    fire(registry, proceeding, "decide", actor=None, occurred_on=None, today=TODAY, facts=facts)


def close(registry, proceeding) -> None:
    """Walk the case to its end: decided, not appealed, and the UN communication submitted."""
    decide(registry, proceeding, D(2026, 2, 1))
    give_up = fire(
        registry, proceeding, "give_up", actor=None, occurred_on=D(2026, 2, 2), today=TODAY
    )
    [un] = give_up.handed_over
    fire(registry, un, "submit", actor=None, occurred_on=D(2026, 2, 3), today=TODAY)


def due(case: Case) -> dt.date:
    """The due date of the case's one open deadline."""
    [deadline] = [d for p in case.proceedings for d in p.deadlines if d.is_open]
    return deadline.due_date


def deactivate(admin, user) -> None:
    update_user(admin, user, name=user.name, role=user.role, language=user.language, active=False)
    db.session.commit()


def team_changes() -> list[AuditEntry]:
    query = db.select(AuditEntry).where(AuditEntry.kind == AuditKind.TEAM_CHANGED)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


@pytest.fixture
def people(mini_app, create_user_):
    return {
        "admin": create_user_(Role.ADMIN),
        "departed": create_user_(Role.LAWYER, name="Departed lawyer"),
        "active": create_user_(Role.LAWYER, name="Active lawyer"),
        "colleague": create_user_(Role.LAWYER, name="Colleague"),
        "staff": create_user_(Role.STAFF, name="Staff member"),
        "coordinator": create_user_(Role.COORDINATOR, name="Coordinator"),
    }


@pytest.fixture
def cases(mini_registry, create_case, people):
    """Five cases: three open ones the departed lawyer is on, one closed, one not theirs."""
    departed, active = people["departed"], people["active"]
    made = {}
    for name, team in [
        ("later", [departed]),
        ("sooner", [departed, active]),
        ("no_deadline", [departed]),
        ("closed", [departed]),
        ("not_theirs", [active]),
    ]:
        made[name], proceeding = create_case(
            mini_registry, "domestic", team=team, facts={"reported_on": D(2026, 1, 12)}
        )
        if name == "later":
            decide(mini_registry, proceeding, D(2026, 3, 10))
        elif name in ("sooner", "not_theirs"):
            decide(mini_registry, proceeding, D(2026, 2, 1))
        elif name == "closed":
            close(mini_registry, proceeding)
    db.session.commit()
    deactivate(people["admin"], departed)
    return made


def test_the_open_cases_of_a_deactivated_user_come_nearest_deadline_first(cases, people):
    found = orphaned_cases()

    assert [row.case for row in found] == [cases["sooner"], cases["later"], cases["no_deadline"]]
    assert [row.next_due for row in found] == [due(cases["sooner"]), due(cases["later"]), None]
    assert [[d.rule for d in row.deadlines] for row in found] == [["appeal"], ["appeal"], []]
    assert [row.has_active_lawyer for row in found] == [True, False, False]
    assert all(row.departed == [people["departed"]] for row in found)
    assert orphaned_counts() == {people["departed"].id: 3}


def test_deactivation_keeps_the_assignments(cases, people):
    assert people["departed"] in cases["later"].team
    assert people["departed"] in cases["closed"].team


def test_a_hand_over_swaps_the_two_moves_the_version_and_is_audited(cases, people):
    case = cases["later"]
    departed, colleague = people["departed"], people["colleague"]

    reassign(case, departed, colleague, actor=people["admin"], expected_version=case.version)
    db.session.commit()

    assert case.team == [colleague]
    assert case.version == 2
    [entry] = team_changes()
    assert (entry.case_id, entry.actor_id) == (case.id, people["admin"].id)
    assert entry.details == {
        "removed": [departed.id],
        "added": [colleague.id],
        "reason": "reassigned",
    }
    assert [row.case for row in orphaned_cases()] == [cases["sooner"], cases["no_deadline"]]


def test_handing_over_to_someone_already_on_the_team_only_removes_the_departed(cases, people):
    case = cases["sooner"]

    reassign(case, people["departed"], people["active"], actor=None, expected_version=1)

    assert case.team == [people["active"]]
    [entry] = team_changes()
    assert entry.details["added"] == []


def test_a_hand_over_from_a_stale_page_is_refused(cases, people):
    case = cases["later"]

    with pytest.raises(StaleCase):
        reassign(case, people["departed"], people["colleague"], actor=None, expected_version=0)

    db.session.rollback()
    assert db.session.get(Case, case.id).team == [people["departed"]]


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("staff", "Staff member is staff and cannot act on cases"),
        ("coordinator", "Coordinator sees every case and is not assigned to teams"),
        ("departed", "Choose someone other than Departed lawyer"),
    ],
)
def test_only_an_active_lawyer_may_take_a_lawyer_s_place(cases, people, who, reason):
    with pytest.raises(InvalidInput) as refused:
        reassign(cases["later"], people["departed"], people[who], actor=None, expected_version=1)

    assert refused.value.errors["to_user"].startswith(reason)


def test_a_deactivated_colleague_cannot_take_over(cases, people):
    deactivate(people["admin"], people["colleague"])

    with pytest.raises(InvalidInput) as refused:
        reassign(
            cases["later"], people["departed"], people["colleague"], actor=None, expected_version=1
        )

    assert "deactivated" in refused.value.errors["to_user"]


def test_staff_may_take_another_staff_member_s_place(
    mini_registry, create_case, create_user_, people
):
    leaving, newcomer = people["staff"], create_user_(Role.STAFF)
    case, _ = create_case(mini_registry, "domestic", team=[leaving], facts={"reported_on": TODAY})
    deactivate(people["admin"], leaving)

    reassign(case, leaving, newcomer, actor=None, expected_version=1)

    assert case.team == [newcomer]


def test_all_cases_to_one_colleague_skips_and_reports_those_changed_meanwhile(cases, people):
    shown = {cases[name].id: 1 for name in ("later", "sooner", "no_deadline")}
    cases["sooner"].notes = "edited by someone else meanwhile"
    db.session.commit()

    done = reassign_all(
        people["departed"], people["colleague"], actor=people["admin"], versions=shown
    )
    db.session.commit()

    assert sorted(c.reference for c in done.moved) == sorted(
        [cases["later"].reference, cases["no_deadline"].reference]
    )
    assert [c.reference for c in done.conflicts] == [cases["sooner"].reference]
    assert [row.case for row in orphaned_cases()] == [cases["sooner"]]
    assert people["departed"] in cases["closed"].team  # closed cases keep their history
    assert sorted(entry.case_id for entry in team_changes()) == sorted(c.id for c in done.moved)
