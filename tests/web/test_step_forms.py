"""A step's form says what the step will do before it is recorded, counted by the code that
does it: the deadlines it opens (preview == created), how it closes those running now, what a
closing step cancels, the route a hand-over opens; a late filing is warned beside the date;
dates out of order or in the future are refused beside their field. Shipped workflows.yaml,
TODAY = 27 Nov 2026."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from litigation.cases import ProceedingState, fire
from litigation.db import db
from litigation.models import Deadline, DeadlineStatus, Event, Proceeding, Role
from litigation.workflows.preview import preview_stage

from ..conftest import TODAY, post_form, sign_in
from ..pages import confirmation

D = dt.date
# kz_criminal from the report to the end of domestic remedies (tests/data/golden/
# kz_criminal_termination_to_hrc.yaml walks the same dates).
TO_EXHAUSTION = [
    ("register", D(2025, 1, 13), {}),
    ("terminate", D(2025, 2, 12), {"termination_decided_on": D(2025, 2, 10)}),
    ("complain_to_prosecutor", D(2025, 2, 19), {"complaint_subject": "termination"}),
    ("complain_to_judge", D(2025, 3, 26), {}),
    ("judge_dismisses", D(2025, 4, 2), {}),
    ("appeal_judge_ruling", D(2025, 4, 7), {}),
    ("regional_dismisses", D(2025, 4, 17), {}),
]


@pytest.fixture
def lawyer(app, create_user_):
    return create_user_(Role.LAWYER, language="en")


@pytest.fixture
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _case(registry, create_case, lawyer, steps=()):
    case, proceeding = create_case(
        registry,
        "kz_criminal",
        team=[lawyer],
        opened_on=D(2025, 1, 10),
        facts={"reported_on": D(2025, 1, 10)},
    )
    for trigger, day, facts in steps:
        fire(registry, proceeding, trigger, actor=None, occurred_on=day, today=TODAY, facts=facts)
    db.session.commit()
    return case, proceeding


def _url(case, proceeding, trigger):
    return f"/cases/{case.id}/proceedings/{proceeding.id}/steps/{trigger}"


def _text(response) -> str:
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(page).split())


def _field(response, name: str) -> str:
    """The text of the form field `name`'s block: its label, input, errors and warnings."""
    page = response.get_data(as_text=True)
    match = re.search(
        rf'<div class="field[^"]*">(?:(?!<div class="field).)*?name="{name}".*?</div>', page, re.S
    )
    assert match, f"no field {name}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


@pytest.mark.parametrize(
    ("walk", "trigger", "occurred_on", "facts"),
    [
        (1, "terminate", D(2026, 11, 20), {"termination_decided_on": D(2026, 11, 16)}),
        (2, "complain_to_prosecutor", D(2026, 11, 2), {"complaint_subject": "detention"}),
        (2, "complain_to_prosecutor", D(2026, 11, 2), {"complaint_subject": "termination"}),
        (2, "complain_to_judge", D(2026, 11, 2), {}),
        (4, "judge_dismisses", D(2026, 11, 2), {}),
    ],
)
def test_the_preview_counts_what_the_step_creates(
    registry, create_case, lawyer, walk, trigger, occurred_on, facts
):
    _, proceeding = _case(registry, create_case, lawyer, TO_EXHAUSTION[:walk])
    state = ProceedingState.of(registry, proceeding, TODAY)
    transition = state.route.transition(trigger)
    typed = {**facts}
    if transition.event_date:
        typed[transition.event_date] = occurred_on
    previews = preview_stage(
        registry.calendars, state.route, transition.dest, {**state.facts, **typed}, occurred_on
    )

    result = fire(
        registry, proceeding, trigger, actor=None, occurred_on=occurred_on, today=TODAY, facts=facts
    )

    assert all(p.planned is not None for p in previews)
    assert {(p.rule.name, p.due) for p in previews} == {(d.rule, d.due_date) for d in result.opened}


def test_the_form_shows_the_due_date_it_then_stores(english, registry, create_case, lawyer):
    case, proceeding = _case(registry, create_case, lawyer, TO_EXHAUSTION[:3])
    sign_in(english, lawyer)
    url = _url(case, proceeding, "prosecutor_refuses")
    form = english.get(url)
    # Dated today (the form's default): 15 days from Fri 27 Nov 2026 end on Sat 12 Dec, so
    # Mon 14 Dec (KZ CPC art. 48).
    assert "due Dec 14, 2026, counted from the date of this step (Nov 27, 2026)" in _text(form)

    post_form(english, url, {"refusal_received_on": "2026-11-27", "version": "4"})

    opened = db.session.scalars(db.select(Deadline).where(Deadline.status == "open")).all()
    assert [(d.rule, d.due_date) for d in opened] == [("judge_after_refusal", D(2026, 12, 14))]


def test_versions_a_fact_not_yet_typed_decides_are_listed_with_their_condition(
    english, registry, create_case, lawyer
):
    case, proceeding = _case(registry, create_case, lawyer, TO_EXHAUSTION[:1])
    sign_in(english, lawyer)

    page = _text(english.get(_url(case, proceeding, "complain_to_prosecutor")))

    opens = page[page.index("Deadlines this step opens") :]
    subject = registry.workflows.facts["complaint_subject"]
    assert f"Applies only if «{subject.label.en}»: «{subject.choice_label('detention', 'en')}»" in (
        opens
    )
    # The version in force until July 2017 does not apply to a complaint filed today.
    assert "Prosecutor's answer to the complaint (3 or 7 days)" not in opens
    assert opens.count("Prosecutor's answer to the complaint") == 2


def test_a_closing_step_warns_which_open_deadlines_it_cancels(
    english, registry, create_case, lawyer
):
    case, proceeding = _case(registry, create_case, lawyer, TO_EXHAUSTION[:3])
    sign_in(english, lawyer)

    response = english.get(_url(case, proceeding, "close"))

    page = response.get_data(as_text=True)
    warning = _text(response)
    assert 'id="closes-route"' in page
    assert "This step closes the route «Kazakhstan: criminal proceedings for torture»" in warning
    assert "These open deadlines will be cancelled:" in warning
    assert "Prosecutor's answer to the complaint (7 days) — Feb 26, 2025" in warning


def test_a_hand_over_says_which_route_it_opens_and_its_deadline(
    english, registry, create_case, lawyer
):
    case, proceeding = _case(registry, create_case, lawyer, TO_EXHAUSTION)
    sign_in(english, lawyer)

    response = english.get(_url(case, proceeding, "submit_to_hrc"))

    page = response.get_data(as_text=True)
    assert 'id="opens-route"' in page
    text = _text(response)
    assert "This opens the route «UN Human Rights Committee: individual communication»" in text
    opens = text[text.index("This opens the route") :]
    # Rule 99(c): 5 years from the final domestic decision (17 Apr 2025), calendar none.
    assert re.search(r"due Apr 17, 2030, counted from «[^»]*» \(Apr 17, 2025\)", opens), opens


def test_a_late_filing_is_warned_beside_the_date_then_recorded_once_confirmed(
    english, registry, create_case, lawyer
):
    case, proceeding = _case(registry, create_case, lawyer, TO_EXHAUSTION[:2])
    sign_in(english, lawyer)
    url = _url(case, proceeding, "complain_to_prosecutor")
    data = {"complaint_filed_on": "2026-08-10", "complaint_subject": "termination", "version": "3"}

    response = post_form(english, url, data)

    assert response.status_code == 200
    beside = _field(response, "complaint_filed_on")
    # Art. 102: one year from the decision of 10 Feb 2025, due 10 Feb 2026.
    assert (
        "This date is after the deadline Complaint against the termination (1 year), "
        "due Feb 10, 2026" in beside
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 3
    assert 'value="2026-08-10"' in response.get_data(as_text=True)

    done = post_form(english, url, {**data, "late_confirmed": "2026-08-10"})

    assert done.status_code == 302
    missed = db.session.scalars(
        db.select(Deadline).where(Deadline.rule == "complaint_against_termination")
    ).one()
    assert missed.status == DeadlineStatus.MISSED
    page = english.get(done.headers["Location"]).get_data(as_text=True)
    assert "Filed late: Complaint against the termination (1 year) was due Feb 10, 2026" in (
        confirmation(page)
    )


def test_a_date_out_of_its_legal_order_is_refused_beside_its_field(
    english, registry, create_case, lawyer
):
    case, proceeding = _case(registry, create_case, lawyer, TO_EXHAUSTION[:1])
    sign_in(english, lawyer)
    url = _url(case, proceeding, "terminate")
    data = {"termination_decided_on": "2026-03-10", "learned_of_decision_on": "2026-03-01"}

    response = post_form(english, url, {**data, "version": "2"})

    assert response.status_code == 400
    beside = _field(response, "learned_of_decision_on")
    assert "cannot be before" in beside and "Mar 10, 2026" in beside, beside
    assert db.session.get(Proceeding, proceeding.id).stage == "investigation"


@pytest.mark.parametrize("name", ["termination_decided_on", "learned_of_decision_on"])
def test_a_date_in_the_future_is_refused_beside_its_field(
    english, registry, create_case, lawyer, name
):
    case, proceeding = _case(registry, create_case, lawyer, TO_EXHAUSTION[:1])
    sign_in(english, lawyer)
    data = {"termination_decided_on": "2026-11-20", "learned_of_decision_on": "2026-11-20"}

    response = post_form(
        english, _url(case, proceeding, "terminate"), {**data, name: "2026-12-01", "version": "2"}
    )

    assert response.status_code == 400
    assert "cannot be in the future" in _field(response, name)
