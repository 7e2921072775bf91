"""A running Kazakh criminal case entered with four past steps (the shipped kz_criminal route),
its deadlines worked out by hand from the CPC, as they stand on TODAY (Friday 27 Nov 2026).

KZ CPC art. 48 counts from the day after the event; a last day on a weekend or holiday moves
to the next working day, except for detention-type periods (the ERDR's 24 hours do not move).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from litigation.db import db
from litigation.models import Deadline, Event, Proceeding, Role

from ..conftest import sign_in
from .history_entry import history_rows, history_url, ids_from, submit

D = dt.date
CASE = {
    "reference": "KZ-2026-014",
    "survivor_name": "Асхат Н.",
    "jurisdiction": "KZ",
    "opened_on": "2026-11-27",
    "incident_date": "2026-02-20",
    "route": "kz_criminal",
    "first_fact": "2026-03-02",  # the report, a Monday
    "survivor_reprisal_risk": "high",
    "consent_litigation": "y",
    "consent_given_on": "2025-12-01",
}
STEPS = [
    ("register", {"registered_on": "2026-03-05"}),
    ("terminate", {"termination_decided_on": "2026-04-10", "learned_of_decision_on": "2026-04-20"}),
    (
        "complain_to_prosecutor",
        {"complaint_filed_on": "2026-05-12", "complaint_subject": "termination"},
    ),
    ("prosecutor_refuses", {"refusal_received_on": "2026-11-20"}),
]
# rule: (due date, status on TODAY)
EXPECTED = {
    # art. 180(3) and the Prosecutor-General's order: 24 hours from the report of Monday
    # 2 March, never moved: Tuesday 3 March. Registered on 5 March: missed.
    "erdr_registration": (D(2026, 3, 3), "missed"),
    # art. 192: 2 months from registration on 5 March end on Tuesday 5 May; met by the
    # termination of 20 April.
    "investigation_term": (D(2026, 5, 5), "met"),
    # art. 102: 1 year from the termination decision of 10 April 2026 ends on Saturday
    # 10 April 2027, moved to Monday 12 April (art. 48); met by the complaint of 12 May.
    "complaint_against_termination": (D(2027, 4, 12), "met"),
    # art. 106(5), first anchor: 15 days from acquaintance on 20 April, Tuesday 5 May;
    # a complaint to the prosecutor cancels it.
    "judge_complaint_from_acquaintance": (D(2026, 5, 5), "cancelled"),
    # art. 105(2): 7 days for a complaint against termination, from 12 May: Tuesday 19 May.
    # The refusal received on 20 November came six months late: missed by the State.
    "prosecutor_answer": (D(2026, 5, 19), "missed"),
    # art. 106(5), third anchor: 15 days after the filing (27 May), then 15 days: Thursday
    # 11 June; only a complaint to the judge meets it, the refusal cancels it.
    "judge_after_no_reply": (D(2026, 6, 11), "cancelled"),
    # art. 106(5), second anchor: 15 days from receipt of the refusal on 20 November end on
    # Saturday 5 December, moved to Monday 7 December: open, 10 days left.
    "judge_after_refusal": (D(2026, 12, 7), "open"),
}


@pytest.fixture(autouse=True)
def _english_browser(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def lawyer(app, create_user_):
    return create_user_(Role.LAWYER, language="en")


@pytest.fixture
def running(client, lawyer):
    sign_in(client, lawyer)
    response = submit(client, "/cases/new", {**CASE, "running": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return ids_from(response.headers["Location"])


def _enter(client, ids, steps):
    for trigger, data in steps:
        response = submit(client, history_url(*ids, trigger), data)
        assert response.status_code == 302, response.get_data(as_text=True)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_four_past_steps_give_the_deadlines_the_code_gives(client, running):
    _enter(client, running, STEPS)

    deadlines = db.session.scalars(db.select(Deadline)).all()
    assert {d.rule: (d.due_date, d.status) for d in deadlines} == EXPECTED
    assert db.session.get(Proceeding, running[1]).stage == "prosecutor_refused"
    page = _text(client.get(history_url(*running)).get_data(as_text=True))
    assert "Open: 1 Missed: 2 Met: 2 Cancelled: 2" in page
    assert re.search(r"Dec 7, 2026 [^|]{0,200}? 10 days left", page)
    assert "Overdue" not in page


def test_the_form_says_what_the_step_closes_and_starts(client, registry, running):
    _enter(client, running, STEPS[:1])
    page = _text(client.get(history_url(*running, "terminate")).get_data(as_text=True))
    facts = registry.workflows.facts
    learned = facts["learned_of_decision_on"].label.en
    decided = facts["termination_decided_on"].label.en
    assert f"«{learned}» cannot be before «{decided}»." in page
    assert (
        "Term of the pre-trial investigation (2 months): due May 5, 2026, counted from "
        f"«{facts['registered_on'].label.en}» (Mar 5, 2026). This step meets it if dated on or "
        "before May 5, 2026" in page
    )
    assert (
        f"It starts: Complaint against the termination (1 year): counted from «{decided}», "
        "once it is given." in page
    )


def test_a_date_out_of_its_legal_order_is_refused_keeping_the_input(client, registry, running):
    _enter(client, running, STEPS[:1])
    early = {"termination_decided_on": "2026-04-10", "learned_of_decision_on": "2026-04-05"}
    response = submit(client, history_url(*running, "terminate"), early)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "(Apr 5, 2026) cannot be before" in html and "(Apr 10, 2026)" in html
    assert 'value="2026-04-05"' in html and 'value="2026-04-10"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 2
    assert db.session.get(Proceeding, running[1]).stage == "investigation"


def test_the_entered_case_is_the_case_followed_step_by_step(client, running):
    _enter(client, running, STEPS)
    entered = history_rows(running[1])

    data = {**CASE, "reference": "KZ-2026-015", "route_opened_on": "2026-03-02"}
    data["different_person"] = "y"  # another case of this name, for the comparison
    response = submit(client, "/cases/new", data)
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    followed = db.session.scalars(db.select(Proceeding.id).filter_by(case_id=case_id)).one()
    for trigger, step in STEPS:
        url = f"/cases/{case_id}/proceedings/{followed}/steps/{trigger}"
        assert submit(client, url, step).status_code == 302

    assert history_rows(followed) == entered
