"""A proceeding's state is built once per request and handed on: firing replays the history
once, and the step the page offered is the step that is fired."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from litigation.cases import ProceedingState, fire, history, open_proceeding
from litigation.db import db
from litigation.models import Proceeding, Role

from ..conftest import TODAY, post_form, sign_in

D = dt.date
DECIDE = {"decided_on": D(2026, 3, 5), "learned_on": D(2026, 3, 10), "outcome": "refused"}


@pytest.fixture
def replays(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a proceeding's history is replayed (one entry per replay)."""
    counted: list[int] = []
    real: Callable = history.effective_events

    def counting(events):
        views = real(events)
        counted.append(len(views))
        return views

    monkeypatch.setattr(history, "effective_events", counting)
    return counted


@pytest.fixture
def reported(mini_registry, create_case):
    return create_case(mini_registry, "domestic", facts={"reported_on": D(2026, 1, 12)})


def _fire(registry, proceeding, trigger, occurred_on=None, **kw):
    return fire(
        registry, proceeding, trigger, actor=None, occurred_on=occurred_on, today=TODAY, **kw
    )


def test_firing_a_step_replays_the_history_once(mini_registry, reported, replays):
    _case, proceeding = reported
    _fire(mini_registry, proceeding, "decide", facts=DECIDE)

    assert replays == [1]  # the opening event, replayed once; nothing replays it again


def test_firing_with_the_state_the_page_built_replays_nothing_more(
    mini_registry, reported, replays
):
    _case, proceeding = reported
    state = ProceedingState.of(mini_registry, proceeding, TODAY)
    replays.clear()

    _fire(mini_registry, proceeding, "decide", facts=DECIDE, state=state)

    assert replays == []
    assert proceeding.stage == "decided"


def test_a_hand_over_replays_only_the_proceeding_that_fires(mini_registry, reported, replays):
    _case, proceeding = reported
    _fire(mini_registry, proceeding, "decide", facts=DECIDE)
    db.session.commit()
    replays.clear()

    result = _fire(mini_registry, proceeding, "give_up", occurred_on=D(2026, 3, 20))

    assert [child.route for child in result.handed_over] == ["un"]
    assert replays == [2]


def test_the_state_offers_the_machines_steps_with_the_guards_reasons(mini_registry, reported):
    case, proceeding = reported
    _fire(mini_registry, proceeding, "decide", facts=DECIDE)
    open_proceeding(  # the matter already went to a treaty body
        mini_registry,
        case,
        "un",
        actor=None,
        opened_on=D(2026, 3, 12),
        today=TODAY,
        facts={"final_domestic_decision_on": D(2026, 3, 5)},
    )

    state = ProceedingState.of(mini_registry, proceeding, TODAY)

    assert [(s.transition.trigger, [r.en for r in s.reasons]) for s in state.steps] == [
        ("appeal", []),
        ("give_up", ["This matter already went to a UN treaty body (un)."]),
    ]
    assert not mini_registry.machine("domestic").may("decided", "give_up", state.context)


def test_a_closed_proceeding_offers_no_steps(mini_registry, reported):
    _case, proceeding = reported
    _fire(mini_registry, proceeding, "decide", facts=DECIDE)
    _fire(mini_registry, proceeding, "give_up", occurred_on=D(2026, 3, 20))

    assert ProceedingState.of(mini_registry, proceeding, TODAY).steps == []


def test_firing_through_the_web_replays_the_history_once(
    mini_app, mini_registry, create_user_, create_case, replays
):
    lawyer = create_user_(Role.LAWYER, language="en")
    case, proceeding = create_case(
        mini_registry, "domestic", team=[lawyer], facts={"reported_on": D(2026, 1, 12)}
    )
    client = mini_app.test_client()
    sign_in(client, lawyer)
    url = f"/cases/{case.id}/proceedings/{proceeding.id}/steps/decide"
    form = {key: str(value) for key, value in DECIDE.items()}
    replays.clear()
    token_page = client.get(url)  # the form: one replay to offer the step
    assert token_page.status_code == 200
    assert replays == [1]
    replays.clear()

    response = post_form(client, url, {**form, "outcome": "refused", "version": "1"})

    assert response.status_code == 302
    assert db.session.get(Proceeding, proceeding.id).stage == "decided"
    # post_form reads the form once (one replay), then the POST replays once and fires.
    assert replays == [1, 1]
