"""A running case entered with its history, through the web: the route opened on its first
event's date, then the steps already taken, oldest first, each fired by the same operation as
a step taken on its day, and the deadlines as they stand today (TODAY is 27 Nov 2026).

The minimal workflow's appeal runs 15 days from the day the decision was learned (KZ CPC
art. 106(5) there; counted as art. 48 says: from the next day, a last day off moves on)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Deadline, Event, Proceeding, Role

from ..conftest import sign_in
from .history_entry import history_rows, history_url, ids_from, submit, submit_step

D = dt.date
CASE = {
    "reference": "KZ-2026-300",
    "survivor_name": "Ержан Т.",
    "jurisdiction": "KZ",
    "opened_on": "2026-11-27",
    "route": "domestic",
    "survivor_reprisal_risk": "low",
    "consent_litigation": "y",
    "consent_given_on": "2025-12-01",
}
# Three decisions and two appeals. The first appeal is in time (15 days from 10 March end on
# Wednesday 25 March, a Nauryz day off, so Thursday 26 March); the second is late (due
# Tuesday 16 June); the third decision's appeal ran out on Tuesday 20 October.
STEPS = [
    ("decide", {"decided_on": "2026-03-05", "learned_on": "2026-03-10", "outcome": "refused"}),
    ("appeal", {"occurred_on": "2026-03-20"}),
    ("decide", {"decided_on": "2026-05-25", "learned_on": "2026-06-01", "outcome": "refused"}),
    ("appeal", {"occurred_on": "2026-06-20"}),
    ("decide", {"decided_on": "2026-10-01", "learned_on": "2026-10-05", "outcome": "refused"}),
]


@pytest.fixture(autouse=True)
def _english_browser(mini_client):
    mini_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def lawyer(mini_app, create_user_):
    return create_user_(Role.LAWYER, language="en")


def _open_running(client, **changes):
    return submit(
        client, "/cases/new", {**CASE, "first_fact": "2026-01-12", "running": "y"} | changes
    )


@pytest.fixture
def running(mini_client, lawyer):
    """A running case opened from the new-case form: (case id, proceeding id)."""
    sign_in(mini_client, lawyer)
    response = _open_running(mini_client)
    assert response.status_code == 302, response.get_data(as_text=True)
    return ids_from(response.headers["Location"])


def _enter(client, ids, steps):
    for trigger, data in steps:
        response = submit(client, history_url(*ids, trigger), data)
        assert response.status_code == 302, response.get_data(as_text=True)
        assert response.headers["Location"] == history_url(*ids)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _events() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Event))


def test_a_running_case_opens_on_its_first_event_s_date_and_lands_on_its_history(
    mini_client, running
):
    case_id, proceeding_id = running
    proceeding = db.session.get(Proceeding, proceeding_id)
    assert proceeding.opened_on == D(2026, 1, 12)  # the route start was left empty
    page = _text(mini_client.get(history_url(case_id, proceeding_id)).get_data(as_text=True))
    assert "Steps already taken" in page and "What happened next?" in page
    assert "Jan 12, 2026 Route opened" in page
    assert "That is where the case stands today" in page


def test_a_new_case_not_running_still_starts_today(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    response = submit(mini_client, "/cases/new", {**CASE, "first_fact": "2026-11-20"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/cases/1")
    assert db.session.scalars(db.select(Proceeding.opened_on)).one() == D(2026, 11, 27)


def test_a_running_case_without_any_date_is_refused_keeping_the_input(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    response = _open_running(mini_client, first_fact="")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Give the date the route started, or the date of its opening event" in page
    assert 'value="KZ-2026-300"' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Proceeding)) == 0


def test_past_steps_give_the_deadlines_as_they_stand_today(mini_client, running):
    _enter(mini_client, running, STEPS)

    deadlines = db.session.scalars(db.select(Deadline).order_by(Deadline.id)).all()
    assert [(d.due_date, d.status, d.closed_on) for d in deadlines] == [
        (D(2026, 3, 26), "met", D(2026, 3, 20)),
        (D(2026, 6, 16), "missed", D(2026, 6, 20)),
        (D(2026, 10, 20), "open", None),
    ]
    page = _text(mini_client.get(history_url(*running)).get_data(as_text=True))
    assert "Overdue: 1 Missed: 1 Met: 1" in page
    assert "38 days overdue" in page  # 20 October to 27 November
    assert "An overdue deadline: if the step that answers it was already taken" in page
    assert "Mar 20, 2026 Appealed" in page and "Oct 5, 2026 Decision taken" in page


def test_each_step_is_saved_and_said_in_one_message(mini_client, running):
    response = submit(mini_client, history_url(*running, "decide"), STEPS[0][1])
    page = mini_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Recorded: Decision taken, Mar 10, 2026. Stage now: Decided." in page
    assert "New deadline" not in page  # the table says it; no warning per step
    assert _events() == 2


def test_the_step_form_starts_empty_and_says_how_its_dates_relate(mini_client, running):
    _enter(mini_client, running, STEPS[:1])
    html = mini_client.get(history_url(*running, "appeal")).get_data(as_text=True)
    assert '<input id="occurred_on" name="occurred_on" required type="date" value="">' in html
    page = _text(html)
    assert (
        "Its date cannot be before Mar 10, 2026 (Decision taken), the previous event of the "
        "route, nor after today." in page
    )
    assert (
        "Appeal (15 days): due Mar 26, 2026, counted from «Date learned» (Mar 10, 2026). This "
        "step meets it if dated on or before Mar 26, 2026; dated later, the deadline was "
        "missed." in page
    )


def test_a_step_dated_before_the_previous_one_is_refused_keeping_the_input(mini_client, running):
    _enter(mini_client, running, STEPS[:1])
    response = submit(mini_client, history_url(*running, "appeal"), {"occurred_on": "2026-03-01"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(
        r'<p class="error" role="alert">The date Mar 1, 2026 cannot be before the previous event '
        r"of the route \(Decision taken, Mar 10, 2026\): record the steps oldest first.</p>",
        page,
    )
    assert 'value="2026-03-01"' in page
    assert _events() == 2
    assert db.session.get(Proceeding, running[1]).stage == "decided"
    assert db.session.scalars(db.select(Deadline.status)).all() == ["open"]


def test_a_first_step_dated_before_the_route_opened_names_the_opening(mini_client, running):
    data = {**STEPS[0][1], "learned_on": "2026-01-05"}
    response = submit(mini_client, history_url(*running, "decide"), data)

    assert response.status_code == 400
    page = _text(response.get_data(as_text=True))
    assert "(the opening of the route, Jan 12, 2026)" in page
    assert 'value="2026-01-05"' in response.get_data(as_text=True)
    assert _events() == 1


def test_a_future_date_is_refused_and_nothing_is_written(mini_client, running):
    data = {**STEPS[0][1], "learned_on": "2026-12-01"}
    response = submit(mini_client, history_url(*running, "decide"), data)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "A date of something that happened cannot be in the future." in page
    assert 'value="2026-12-01"' in page and 'value="2026-03-05"' in page
    assert _events() == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Deadline)) == 0


def test_a_second_tap_on_a_recorded_step_writes_nothing_twice(mini_client, running):
    url = history_url(*running, "decide")
    page = mini_client.get(url).get_data(as_text=True)
    _enter(mini_client, running, STEPS[:1])
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    again = mini_client.post(url, data={**STEPS[0][1], "version": "1", "csrf_token": token})

    assert again.status_code == 303
    assert again.headers["Location"] == history_url(*running)
    assert _events() == 2


def test_entered_history_leaves_the_rows_of_a_case_followed_from_day_one(mini_client, running):
    _enter(mini_client, running, STEPS)
    entered = history_rows(running[1])

    response = submit(
        mini_client,
        "/cases/new",
        {**CASE, "reference": "KZ-2026-301", "first_fact": "2026-01-12"}
        | {"route_opened_on": "2026-01-12", "different_person": "y"},
    )
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    followed = db.session.scalars(db.select(Proceeding.id).filter_by(case_id=case_id)).one()
    for trigger, data in STEPS:  # the case page's own step forms, one by one
        url = f"/cases/{case_id}/proceedings/{followed}/steps/{trigger}"
        assert submit_step(mini_client, url, data).status_code == 302

    assert history_rows(followed) == entered


def test_the_audit_trail_says_the_steps_were_entered_as_history(
    mini_app, mini_client, create_user_, running
):
    _enter(mini_client, running, STEPS[:2])
    admin = mini_app.test_client()
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(admin, create_user_(Role.ADMIN, language="en"))
    trail = admin.get("/admin/audit").get_data(as_text=True)
    assert trail.count("entered later, as the case&#39;s past history") == 3
    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.kind.in_([AuditKind.ROUTE_OPENED, AuditKind.STEP]))
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.kind, e.details.get("as_history")) for e in entries] == [
        ("route_opened", True),
        ("step", True),
        ("step", True),
    ]


def test_a_hand_over_continues_in_the_new_proceeding(mini_client, running):
    _enter(mini_client, running, [STEPS[0], ("give_up", {"occurred_on": "2026-04-01"})])
    page = mini_client.get(history_url(*running)).get_data(as_text=True)
    un = db.session.scalars(db.select(Proceeding).filter_by(route="un")).one()
    assert "This route handed the case over to: UN." in page
    assert history_url(running[0], un.id) in page

    child = _text(mini_client.get(history_url(running[0], un.id)).get_data(as_text=True))
    assert "Submission to the UN (5 years)" in child and "Apr 1, 2026 Route opened" in child
    _enter(mini_client, (running[0], un.id), [("submit", {"occurred_on": "2026-05-01"})])
    assert db.session.get(Proceeding, un.id).stage == "submitted"


def test_a_running_route_opened_from_the_case_page(mini_client, mini_registry, create_case, lawyer):
    case, _ = create_case(
        mini_registry, "domestic", team=[lawyer], facts={"reported_on": D(2025, 11, 3)}
    )
    sign_in(mini_client, lawyer)
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Enter steps already taken (a running case)" in page

    response = submit(
        mini_client,
        f"/cases/{case.id}/proceedings",
        {"route": "un", "first_fact": "2025-12-01", "running": "y"},
        form_url=f"/cases/{case.id}",
    )

    un = db.session.scalars(db.select(Proceeding).filter_by(route="un")).one()
    assert response.headers["Location"] == history_url(case.id, un.id)
    assert un.opened_on == D(2025, 12, 1)


@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("stranger", 404)])
def test_only_those_who_may_act_enter_history(mini_app, create_user_, running, role, status):
    user = create_user_(Role.STAFF if role == "staff" else Role.LAWYER)
    if role == "staff":
        case = db.session.get(Proceeding, running[1]).case
        case.team.append(user)
        db.session.commit()
    other = mini_app.test_client()
    sign_in(other, user)
    assert other.get(history_url(*running)).status_code == status
    assert other.get(history_url(*running, "decide")).status_code == status
    assert other.post(history_url(*running, "decide"), data=STEPS[0][1]).status_code in (
        400,  # no CSRF token: refused before anything else
        status,
    )
    assert _events() == 1
