"""Every date an event records can be corrected, and a date learned later (a convict's copy of
the verdict) can be recorded: the deadlines counted from it open then (KZ CPC art. 418)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from litigation.cases import fire, open_case, open_proceeding
from litigation.db import db
from litigation.models import Deadline, Event, Role

from ..conftest import DATA, TODAY, csrf_token, sign_in
from ..pages import confirmation

D = dt.date


@pytest.fixture
def trial_app(app_for):
    return app_for(DATA / "workflows" / "recorded_later.yaml")


@pytest.fixture
def verdict(trial_app, create_user_):
    """A lawyer and a proceeding whose verdict was pronounced, its copy not yet delivered."""
    with trial_app.app_context():
        from litigation.registry import current_registry

        registry = current_registry()
        lawyer = create_user_(Role.LAWYER, language="en")
        case = open_case(
            reference="V-1", survivor_name="S", jurisdiction="KZ", opened_on=D(2026, 9, 1)
        )
        case.team = [lawyer]
        proceeding = open_proceeding(
            registry,
            case,
            "trial",
            actor=None,
            opened_on=D(2026, 9, 1),
            today=TODAY,
            facts={"charged_on": D(2026, 9, 1)},
        )
        fire(
            registry,
            proceeding,
            "pronounce",
            actor=None,
            occurred_on=None,
            today=TODAY,
            facts={"pronounced_on": D(2026, 11, 2)},
        )
        db.session.commit()
        event = db.session.scalars(db.select(Event).filter_by(trigger="pronounce")).one()
        return SimpleNamespace(email=lawyer.email), case.id, event.id


def test_the_correction_form_offers_every_date_labelled_as_on_the_step(trial_app, verdict):
    lawyer, case_id, event_id = verdict
    client = trial_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, lawyer)

    page = client.get(f"/cases/{case_id}/events/{event_id}/correct").get_data(as_text=True)

    assert "Date the verdict was pronounced" in page
    assert "Date the copy of the verdict was delivered" in page
    assert 'value="2026-11-02"' in page


def test_a_copy_delivered_later_opens_the_appeal_counted_from_it(trial_app, verdict):
    lawyer, case_id, event_id = verdict
    client = trial_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, lawyer)
    url = f"/cases/{case_id}/events/{event_id}/correct"
    with trial_app.app_context():
        assert db.session.scalars(db.select(Deadline)).all() == []

    response = client.post(
        url,
        data={
            "pronounced_on": "2026-11-02",
            "copy_delivered_on": "2026-11-09",
            "note": "Copy handed over in the detention centre",
            "version": "2",
            "csrf_token": csrf_token(client, url),
        },
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    # 15 days from Monday 9 November 2026 end on Tuesday 24 November.
    assert "New deadline: Appeal from the delivery of the copy (15 days) — Nov 24" in (
        confirmation(page)
    )
    with trial_app.app_context():
        [deadline] = db.session.scalars(db.select(Deadline)).all()
        assert (deadline.anchor_date, deadline.due_date) == (D(2026, 11, 9), D(2026, 11, 24))
        assert "Dates corrected or recorded later" in page


def test_a_date_before_1991_is_refused_next_to_its_field(trial_app, verdict):
    lawyer, case_id, event_id = verdict
    client = trial_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, lawyer)
    url = f"/cases/{case_id}/events/{event_id}/correct"

    response = client.post(
        url,
        data={
            "pronounced_on": "2026-11-02",
            "copy_delivered_on": "1926-11-09",
            "note": "typo",
            "version": "2",
            "csrf_token": csrf_token(client, url),
        },
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "A date before 1991 is not plausible here: check the year." in page
    assert 'value="1926-11-09"' in page  # what was typed is kept
