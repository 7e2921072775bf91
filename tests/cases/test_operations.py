"""Firing transitions, hand-over, date correction and overrides, through the operations."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from litigation.cases.corrections import correct_event, override_deadline
from litigation.cases.operations import StaleProceeding, StepUnavailable, fire, open_proceeding
from litigation.db import db
from litigation.errors import InvalidInput
from litigation.models import AppendOnlyError, Deadline, Event, Proceeding

from ..conftest import TODAY

D = dt.date


def _open(mini_registry, create_case, **kw):
    return create_case(mini_registry, "domestic", facts={"reported_on": D(2025, 1, 10)}, **kw)


LEARNED = D(2026, 3, 10)


def _decide(registry, proceeding, learned=LEARNED, **kw):
    result = fire(
        registry,
        proceeding,
        "decide",
        actor=None,
        occurred_on=None,
        today=TODAY,
        facts={"decided_on": D(2026, 3, 5), "learned_on": learned, "outcome": "refused"},
        **kw,
    )
    db.session.commit()
    return result


def test_opening_a_proceeding_records_the_opening_event(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    assert proceeding.stage == "reported"
    [event] = proceeding.events
    assert (event.trigger, event.from_stage, event.to_stage) == ("open", None, "reported")
    assert event.facts == {"reported_on": "2025-01-10"}


def test_firing_moves_the_stage_and_opens_the_stage_deadline(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    result = _decide(mini_registry, proceeding)
    assert proceeding.stage == "decided"
    assert result.event.occurred_on == D(2026, 3, 10)  # the event_date fact is the legal date
    [deadline] = result.opened
    # 15 days from 10 March 2026 end on 25 March, a KZ Nauryz day off: the next working day.
    assert (deadline.rule, deadline.due_date, deadline.legal_basis_en) == (
        "appeal",
        D(2026, 3, 26),
        "CPC RK art. 106(5)",
    )
    assert deadline.event_id == result.event.id


def test_leaving_a_stage_by_a_meeting_trigger_meets_its_deadline(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    _decide(mini_registry, proceeding)
    result = fire(
        mini_registry, proceeding, "appeal", actor=None, occurred_on=D(2026, 3, 20), today=TODAY
    )
    assert [(d.rule, d.status) for d in result.closed] == [("appeal", "met")]


def test_leaving_late_marks_the_deadline_missed(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    _decide(mini_registry, proceeding)
    result = fire(
        mini_registry, proceeding, "appeal", actor=None, occurred_on=D(2026, 3, 27), today=TODAY
    )
    assert [d.status for d in result.closed] == ["missed"]


def test_leaving_by_another_trigger_cancels_a_met_by_deadline(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    _decide(mini_registry, proceeding)
    result = fire(
        mini_registry, proceeding, "give_up", actor=None, occurred_on=D(2026, 3, 20), today=TODAY
    )
    assert [d.status for d in result.closed] == ["cancelled"]


def test_hand_over_opens_the_un_route_with_carried_facts(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    _decide(mini_registry, proceeding)
    result = fire(
        mini_registry, proceeding, "give_up", actor=None, occurred_on=D(2026, 3, 20), today=TODAY
    )
    db.session.commit()
    [child] = result.handed_over
    assert (child.route, child.stage, child.parent_id) == ("un", "preparing", proceeding.id)
    assert child.events[0].facts == {"final_domestic_decision_on": "2026-03-05"}
    [warning] = child.deadlines
    # UN periods never roll: 5 years from 5 March 2026 is 5 March 2031 whatever the weekday.
    assert (warning.kind, warning.due_date, warning.verified) == ("warning", D(2031, 3, 5), False)
    assert proceeding.closed_on == D(2026, 3, 20)


def test_second_treaty_body_is_refused_with_a_reason(mini_registry, create_case):
    case, proceeding = _open(mini_registry, create_case)
    _decide(mini_registry, proceeding)
    open_proceeding(
        mini_registry,
        case,
        "un",
        actor=None,
        opened_on=D(2026, 3, 12),
        today=TODAY,
        facts={"final_domestic_decision_on": D(2026, 3, 5)},
    )
    with pytest.raises(StepUnavailable, match="already went to a UN treaty body"):
        fire(
            mini_registry,
            proceeding,
            "give_up",
            actor=None,
            occurred_on=D(2026, 3, 20),
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        pytest.param(
            {"decided_on": D(2026, 3, 5), "outcome": "refused"},
            "learned_on",
            "Required",
            id="missing-fact",
        ),
        pytest.param(
            {"decided_on": D(2026, 3, 5), "learned_on": D(2026, 12, 1), "outcome": "refused"},
            "learned_on",
            "future",
            id="future-date",
        ),
        pytest.param(
            {"decided_on": "5.3.2026", "learned_on": D(2026, 3, 10), "outcome": "refused"},
            "decided_on",
            "not a date",
            id="bad-date",
        ),
        pytest.param(
            {"decided_on": D(2026, 3, 5), "learned_on": D(2026, 3, 10), "outcome": "maybe"},
            "outcome",
            "Choose one of",
            id="bad-choice",
        ),
        pytest.param(
            {"decided_on": D(2026, 3, 5), "learned_on": D(2024, 1, 1), "outcome": "refused"},
            "occurred_on",
            "before the previous event",
            id="before-previous-event",
        ),
    ],
)
def test_bad_facts_are_refused_and_nothing_is_written(
    mini_registry, create_case, facts, field, message
):
    _case, proceeding = _open(mini_registry, create_case)
    with pytest.raises(InvalidInput) as error:
        fire(
            mini_registry,
            proceeding,
            "decide",
            actor=None,
            occurred_on=None,
            today=TODAY,
            facts=facts,
        )
    assert message in error.value.errors[field]
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 1
    assert db.session.get(Proceeding, proceeding.id).stage == "reported"


def test_a_trigger_from_the_wrong_stage_is_unavailable(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    with pytest.raises(StepUnavailable, match="cannot be taken from the stage reported"):
        fire(
            mini_registry, proceeding, "appeal", actor=None, occurred_on=D(2026, 1, 1), today=TODAY
        )


def test_a_stale_version_is_refused(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    seen = proceeding.version
    _decide(mini_registry, proceeding)
    with pytest.raises(StaleProceeding):
        fire(
            mini_registry,
            proceeding,
            "appeal",
            actor=None,
            occurred_on=D(2026, 3, 20),
            today=TODAY,
            expected_version=seen,
        )


def test_concurrent_writers_never_overwrite_each_other(mini_app, mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    assert proceeding.version == 1  # loaded by this request before the rival writes
    # Another worker (its own session and connection) commits a change to the same row.
    with Session(db.engine) as other:
        other.get(Proceeding, proceeding.id).updated_at = dt.datetime.now(dt.UTC)
        other.commit()
    with pytest.raises(StaleProceeding):
        _decide(mini_registry, proceeding)


def test_correcting_the_event_date_recomputes_deadlines(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    result = _decide(mini_registry, proceeding)
    changes = correct_event(
        mini_registry, result.event, actor=None, today=TODAY, changes={"occurred_on": D(2026, 3, 2)}
    )
    db.session.commit()
    [change] = changes
    assert (change.before, change.after, change.overridden) == (
        D(2026, 3, 26),
        D(2026, 3, 17),
        False,
    )
    assert change.deadline.sequence == 1
    correction = proceeding.events[-1]
    assert correction.trigger == "correct_event"
    assert correction.facts["previous"] == {"occurred_on": "2026-03-10", "learned_on": "2026-03-10"}
    # History is never rewritten: the original event keeps the date it was recorded with.
    assert db.session.get(Event, result.event.id).occurred_on == D(2026, 3, 10)


def test_correction_never_clobbers_an_override(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    result = _decide(mini_registry, proceeding)
    [deadline] = result.opened
    override_deadline(
        deadline,
        actor=None,
        new_due=D(2026, 4, 30),
        reason="Period restored (art. 50)",
        today=TODAY,
    )
    [change] = correct_event(
        mini_registry, result.event, actor=None, today=TODAY, changes={"learned_on": D(2026, 3, 2)}
    )
    assert change.overridden
    assert (deadline.computed_due, deadline.due_date) == (D(2026, 3, 17), D(2026, 4, 30))


def test_override_needs_a_reason(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    [deadline] = _decide(mini_registry, proceeding).opened
    with pytest.raises(InvalidInput, match="Say why"):
        override_deadline(deadline, actor=None, new_due=D(2026, 5, 1), reason=" ", today=TODAY)


def test_correction_is_carried_into_the_handed_over_proceeding(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    decided = _decide(mini_registry, proceeding)
    result = fire(
        mini_registry, proceeding, "give_up", actor=None, occurred_on=D(2026, 3, 20), today=TODAY
    )
    changes = correct_event(
        mini_registry, decided.event, actor=None, today=TODAY, changes={"decided_on": D(2026, 3, 4)}
    )
    [child] = result.handed_over
    moved = {c.deadline.rule: (c.before, c.after) for c in changes}
    assert moved == {"five_years": (D(2031, 3, 5), D(2031, 3, 4))}
    assert child.events[-1].trigger == "correct_event"


def test_events_are_append_only(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    event = proceeding.events[0]
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_deadlines_belong_to_their_event(mini_registry, create_case):
    _case, proceeding = _open(mini_registry, create_case)
    _decide(mini_registry, proceeding)
    deadline = db.session.scalars(db.select(Deadline)).one()
    assert deadline.event.trigger == "decide"
