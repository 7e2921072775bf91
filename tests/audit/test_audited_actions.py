"""Each action through the doors people use leaves exactly its entry on the audit trail, in the
transaction that does it: a refused action (a stale form, bad input) leaves none."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from litigation.audit import HIDDEN
from litigation.db import db
from litigation.models import AuditKind, Case, Deadline, Event, FeedSubscription, Role, User
from litigation.workflows.engine import CORRECTION, OVERRIDE

from ..conftest import PASSWORD, csrf_token, post_form, sign_in
from ..pages import form_with
from .trail import entries_after, last_id, summary

D = dt.date
DECIDE = {"learned_on": "2026-03-10", "decided_on": "2026-03-05", "outcome": "refused"}


def signed_in(app, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, user)
    return client


@pytest.fixture
def lawyer(mini_app, create_user_):
    return create_user_(Role.LAWYER, name="Lawyer", language="en")


@pytest.fixture
def coordinator(mini_app, create_user_):
    return create_user_(Role.COORDINATOR, name="Coordinator", language="en")


@pytest.fixture
def admin(mini_app, create_user_):
    return create_user_(Role.ADMIN, name="Admin", language="en")


@pytest.fixture
def kz_case(mini_registry, create_case, lawyer):
    return create_case(
        mini_registry,
        "domestic",
        team=[lawyer],
        facts={"reported_on": D(2026, 1, 12)},
        opened_on=D(2026, 1, 12),
        survivor_name="Асхат Нурланов",
        survivor_contact="+7 701 000 00 00",
    )


def fire_url(case, proceeding, trigger="decide") -> str:
    return f"/cases/{case.id}/proceedings/{proceeding.id}/steps/{trigger}"


def decided(client, case, proceeding) -> Event:
    response = post_form(client, fire_url(case, proceeding), {**DECIDE, "version": "1"})
    assert response.status_code == 302
    return db.session.scalars(db.select(Event).where(Event.trigger == "decide")).one()


# -- cases ------------------------------------------------------------------------------------


def test_opening_a_case_records_the_case_and_its_first_route(mini_app, lawyer):
    client, mark = signed_in(mini_app, lawyer), last_id()
    data = {
        "reference": "KZ-2026-900",
        "survivor_name": "Ержан Т.",
        "jurisdiction": "KZ",
        "opened_on": "2026-11-20",
        "route": "domestic",
        "route_opened_on": "2026-11-20",
        "first_fact": "2026-11-19",
        "survivor_reprisal_risk": "high",
        "survivor_sex": "male",
        "consent_litigation": "y",
        "consent_given_on": "2026-11-18",
        "consent_form": "written",
    }

    assert post_form(client, "/cases/new", data).status_code == 302

    case = db.session.scalar(db.select(Case).where(Case.reference == "KZ-2026-900"))
    [person, opened, consent, route] = entries_after(mark)
    assert summary(person) == (
        AuditKind.SURVIVOR_CREATED,
        lawyer.id,
        None,
        {"survivor": case.survivor_id, "fields": ["name", "reprisal_risk", "sex"]},
    )
    assert summary(opened) == (
        AuditKind.CASE_CREATED,
        lawyer.id,
        case.id,
        {
            "reference": "KZ-2026-900",
            "jurisdiction": "KZ",
            "survivor": case.survivor_id,
            "team": [lawyer.id],
        },
    )
    [record] = case.consents
    assert summary(consent) == (
        AuditKind.CONSENT_CHANGED,
        lawyer.id,
        case.id,
        {
            "consent": record.id,
            "scope": "litigation",
            "change": "given",
            "given_on": "2026-11-18",
            "form": "written",
        },
    )
    [proceeding] = case.proceedings
    assert summary(route) == (
        AuditKind.ROUTE_OPENED,
        lawyer.id,
        case.id,
        {"route": "domestic", "proceeding": proceeding.id, "stage": "reported"},
    )
    assert route.event_id == proceeding.events[0].id


def test_a_refused_new_case_leaves_no_entry(mini_app, lawyer):
    client, mark = signed_in(mini_app, lawyer), last_id()
    data = {"reference": "KZ-1", "survivor_name": "Ержан Т.", "jurisdiction": "KZ"}
    data |= {"opened_on": "2026-11-20", "route": "domestic", "route_opened_on": "2026-11-20"}

    assert post_form(client, "/cases/new", data).status_code == 400  # no opening fact

    assert entries_after(mark) == []


def edit_form(client, case) -> dict[str, list[str]]:
    return form_with(client.get(f"/cases/{case.id}/edit").get_data(as_text=True), "version")


def test_an_edit_records_details_and_team_apart(mini_app, coordinator, lawyer, kz_case):
    case, _ = kz_case
    colleague = User(email="c@example.org", name="Colleague", role=Role.STAFF.value)
    colleague.set_password(PASSWORD)
    db.session.add(colleague)
    db.session.commit()
    client = signed_in(mini_app, coordinator)
    form = edit_form(client, case)
    form |= {"authority": ["ДВД Алматы"], "notes": ["Асхат Н."], "incident_date": [""]}
    form |= {"team": [str(lawyer.id), str(colleague.id)]}
    mark = last_id()

    assert client.post(f"/cases/{case.id}/edit", data=form).status_code == 302

    assert [summary(entry) for entry in entries_after(mark)] == [
        (
            AuditKind.CASE_EDITED,
            coordinator.id,
            case.id,
            {
                "incident_date": ["2025-01-05", None],
                "authority": [None, "ДВД Алматы"],
                "notes": [HIDDEN, HIDDEN],
            },
        ),
        (
            AuditKind.TEAM_CHANGED,
            coordinator.id,
            case.id,
            {"removed": [], "added": [colleague.id]},
        ),
    ]


def test_saving_an_unchanged_case_leaves_no_entry(mini_app, lawyer, kz_case):
    case, _ = kz_case
    client = signed_in(mini_app, lawyer)
    form, mark = edit_form(client, case), last_id()

    assert client.post(f"/cases/{case.id}/edit", data=form).status_code == 302

    assert entries_after(mark) == []


def test_a_stale_case_form_leaves_no_entry(mini_app, lawyer, kz_case):
    case, _ = kz_case
    first, second = signed_in(mini_app, lawyer), signed_in(mini_app, lawyer)
    first_form, second_form = edit_form(first, case), edit_form(second, case)
    second.post(f"/cases/{case.id}/edit", data={**second_form, "authority": ["A"]})
    mark = last_id()

    response = first.post(f"/cases/{case.id}/edit", data={**first_form, "authority": ["B"]})

    assert response.status_code == 409
    assert entries_after(mark) == []


# -- proceedings ------------------------------------------------------------------------------


def test_a_step_records_its_trigger_and_stages_never_its_facts_or_note(mini_app, lawyer, kz_case):
    case, proceeding = kz_case
    client, mark = signed_in(mini_app, lawyer), last_id()
    note = {"note": "Асхат Нурланов was beaten again", "version": "1"}

    assert post_form(client, fire_url(case, proceeding), {**DECIDE, **note}).status_code == 302

    event = db.session.scalars(db.select(Event).where(Event.trigger == "decide")).one()
    [step] = entries_after(mark)
    assert summary(step) == (
        AuditKind.STEP,
        lawyer.id,
        case.id,
        {
            "route": "domestic",
            "proceeding": proceeding.id,
            "trigger": "decide",
            "from": "reported",
            "to": "decided",
        },
    )
    assert step.event_id == event.id


@pytest.mark.parametrize(
    "refused",
    [
        {**DECIDE, "learned_on": "2027-01-01", "version": "1"},  # in the future
        {**DECIDE, "version": "7"},  # a form loaded before someone else's step
    ],
)
def test_a_refused_step_leaves_no_entry(mini_app, lawyer, kz_case, refused):
    case, proceeding = kz_case
    client, mark = signed_in(mini_app, lawyer), last_id()

    assert post_form(client, fire_url(case, proceeding), refused).status_code in (400, 303)

    assert entries_after(mark) == []


def test_a_correction_names_the_corrected_event_and_its_fields(mini_app, lawyer, kz_case):
    case, proceeding = kz_case
    client = signed_in(mini_app, lawyer)
    event = decided(client, case, proceeding)
    url, mark = f"/cases/{case.id}/events/{event.id}/correct", last_id()
    dates = {"decided_on": "2026-03-01", "learned_on": "2026-03-02", "note": "typo"}

    assert post_form(client, url, dates).status_code == 302

    correction = db.session.scalars(db.select(Event).where(Event.trigger == CORRECTION)).one()
    [entry] = entries_after(mark)
    assert summary(entry) == (
        AuditKind.CORRECTION,
        lawyer.id,
        case.id,
        {
            "proceeding": proceeding.id,
            "corrects_event": event.id,
            "fields": ["decided_on", "learned_on", "occurred_on"],
        },
    )
    assert entry.event_id == correction.id


def test_a_correction_that_changes_nothing_leaves_no_entry(mini_app, lawyer, kz_case):
    case, proceeding = kz_case
    client = signed_in(mini_app, lawyer)
    event = decided(client, case, proceeding)
    url, mark = f"/cases/{case.id}/events/{event.id}/correct", last_id()

    response = post_form(client, url, {"decided_on": "2026-03-05", "note": "the same"})

    assert response.status_code == 400
    assert entries_after(mark) == []


def test_an_override_records_the_deadline_and_both_dates_not_the_reason(mini_app, lawyer, kz_case):
    case, proceeding = kz_case
    client = signed_in(mini_app, lawyer)
    decided(client, case, proceeding)
    deadline = db.session.scalars(db.select(Deadline)).one()
    url, mark = f"/cases/{case.id}/deadlines/{deadline.id}/override", last_id()

    assert post_form(client, url, {"due_date": "2026-04-30", "reason": ""}).status_code == 400
    assert entries_after(mark) == []
    reason = {"due_date": "2026-04-30", "reason": "Restored for Асхат Нурланов"}
    assert post_form(client, url, reason).status_code == 302

    override = db.session.scalars(db.select(Event).where(Event.trigger == OVERRIDE)).one()
    [entry] = entries_after(mark)
    assert summary(entry) == (
        AuditKind.OVERRIDE,
        lawyer.id,
        case.id,
        {
            "proceeding": proceeding.id,
            "deadline": deadline.id,
            "rule": "appeal",
            "from": "2026-03-26",
            "to": "2026-04-30",
        },
    )
    assert entry.event_id == override.id


def test_opening_another_route_is_recorded_and_a_refused_one_is_not(mini_app, lawyer, kz_case):
    case, _ = kz_case
    client, url = signed_in(mini_app, lawyer), f"/cases/{case.id}/proceedings"
    mark = last_id()

    post_form(client, url, {"route": "un", "opened_on": "2026-03-01"}, form_url=f"/cases/{case.id}")
    assert entries_after(mark) == []  # the UN route needs the final decision's date
    form = {"route": "un", "opened_on": "2026-03-01", "first_fact": "2026-02-20"}
    post_form(client, url, form, form_url=f"/cases/{case.id}")

    un = next(p for p in db.session.get(Case, case.id).proceedings if p.route == "un")
    [entry] = entries_after(mark)
    assert summary(entry) == (
        AuditKind.ROUTE_OPENED,
        lawyer.id,
        case.id,
        {"route": "un", "proceeding": un.id, "stage": "preparing"},
    )


# -- accounts ---------------------------------------------------------------------------------

NEW_USER = {
    "email": "new.lawyer@ngo.example",
    "name": "Новый юрист",
    "role": "lawyer",
    "language": "ru",
    "password": "a long enough password",
    "active": "y",
}


def test_an_admin_creating_an_account_is_its_actor(mini_app, admin):
    client, mark = signed_in(mini_app, admin), last_id()

    post_form(client, "/admin/users/new", NEW_USER)

    [entry] = entries_after(mark)
    assert entry.actor_id == admin.id


def test_creating_an_account_records_it_without_its_password(mini_app, admin):
    client, mark = signed_in(mini_app, admin), last_id()

    assert (
        post_form(client, "/admin/users/new", {**NEW_USER, "password": "short"}).status_code == 400
    )
    assert entries_after(mark) == []
    assert post_form(client, "/admin/users/new", NEW_USER).status_code == 302

    user = db.session.scalar(db.select(User).where(User.email == NEW_USER["email"]))
    [entry] = entries_after(mark)
    assert (entry.kind, entry.user_id, entry.case_id) == (AuditKind.USER_CREATED, user.id, None)
    assert entry.details == {
        "email": "new.lawyer@ngo.example",
        "name": "Новый юрист",
        "role": "lawyer",
        "language": "ru",
    }


def test_an_admin_s_edit_of_an_account_records_each_change_and_hides_the_password(
    mini_app, admin, lawyer
):
    client, url = signed_in(mini_app, admin), f"/admin/users/{lawyer.id}"
    form = form_with(client.get(url).get_data(as_text=True), "email")
    form |= {"role": ["coordinator"], "password": ["another long passphrase"]}
    form.pop("active")  # unticked: deactivated
    mark = last_id()

    assert client.post(url, data=form).status_code == 302

    [entry] = entries_after(mark)
    assert summary(entry) == (
        AuditKind.USER_CHANGED,
        admin.id,
        None,
        {
            "role": ["lawyer", "coordinator"],
            "active": [True, False],
            "password": [HIDDEN, HIDDEN],
        },
    )
    assert entry.user_id == lawyer.id
    assert "another long passphrase" not in str(entry.details)


def test_a_refused_account_edit_leaves_no_entry(mini_app, admin):
    client, url = signed_in(mini_app, admin), f"/admin/users/{admin.id}"
    form = form_with(client.get(url).get_data(as_text=True), "email")
    mark = last_id()

    response = client.post(url, data={**form, "role": ["lawyer"]})  # an admin's own access

    assert response.status_code == 400
    assert entries_after(mark) == []


# -- calendar feeds and downloads -------------------------------------------------------------


def created_token(client, response) -> str:
    """The token on the page a create or rotate redirects to (shown there once)."""
    page = client.get(response.location).get_data(as_text=True)
    [token] = set(re.findall(r"/calendars/([\w-]+)\.ics", page))
    return token


def test_a_feed_s_life_is_recorded_and_its_token_never(mini_app, lawyer, kz_case):
    client, mark = signed_in(mini_app, lawyer), last_id()

    created = post_form(client, "/calendars", {"kind": "mine", "name": "Work"})
    feed = db.session.scalars(db.select(FeedSubscription)).one()
    first = created_token(client, created)
    assert client.get(f"/calendars/{first}.ics").status_code == 200
    assert client.get(f"/calendars/{first}.ics").status_code == 200  # within the minute
    rotate, revoke = f"/calendars/{feed.id}/rotate", f"/calendars/{feed.id}/revoke"
    rotated = post_form(client, rotate, {"confirmed": "yes"}, form_url=rotate)
    second = created_token(client, rotated)
    assert client.get(f"/calendars/{first}.ics").status_code == 404
    post_form(client, revoke, {"confirmed": "yes"}, form_url=revoke)

    details = {"kind": "mine", "with_names": False}
    found = entries_after(mark)
    assert [(e.kind, e.actor_id, e.user_id, e.feed_id, e.details) for e in found] == [
        (AuditKind.FEED_CREATED, lawyer.id, lawyer.id, feed.id, details),
        (AuditKind.FEED_FETCHED, None, lawyer.id, feed.id, details),
        (AuditKind.FEED_ROTATED, lawyer.id, lawyer.id, feed.id, details),
        (AuditKind.FEED_REVOKED, lawyer.id, lawyer.id, feed.id, details),
    ]
    assert not [e for e in found if first in str(e.details) or second in str(e.details)]


def test_a_refused_feed_leaves_no_entry(mini_app, lawyer):
    client, mark = signed_in(mini_app, lawyer), last_id()

    response = post_form(client, "/calendars", {"kind": "mine", "with_names": "y"})

    assert response.status_code == 403  # names in a feed are an admin's choice
    assert client.get("/calendars/not-a-token.ics").status_code == 404
    assert entries_after(mark) == []


def test_downloading_a_deadline_s_calendar_file_is_recorded(mini_app, lawyer, kz_case):
    case, proceeding = kz_case
    client = signed_in(mini_app, lawyer)
    decided(client, case, proceeding)
    deadline, mark = db.session.scalars(db.select(Deadline)).one(), last_id()

    response = client.get(f"/calendars/deadline/{deadline.id}.ics")
    assert response.status_code == 200
    kept = client.get(
        f"/calendars/deadline/{deadline.id}.ics",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert kept.status_code == 304

    [entry] = entries_after(mark)
    assert summary(entry) == (
        AuditKind.DOWNLOAD,
        lawyer.id,
        case.id,
        {"what": "ics", "deadline": deadline.id},
    )


def test_a_dashboard_csv_download_is_recorded(app, create_user_):
    coordinator = create_user_(Role.COORDINATOR, language="en")
    client, mark = signed_in(app, coordinator), last_id()

    response = client.get("/dashboard/workload?format=csv&table=workload")
    assert client.get("/dashboard/workload?format=csv&table=nonsense").status_code == 404

    rows = len(response.get_data(as_text=True).strip().splitlines()) - 1
    [entry] = entries_after(mark)
    assert summary(entry) == (
        AuditKind.DOWNLOAD,
        coordinator.id,
        None,
        {"what": "csv", "table": "workload", "rows": rows},
    )


def test_no_csrf_token_no_entry(mini_app, lawyer, kz_case):
    case, proceeding = kz_case
    client, mark = signed_in(mini_app, lawyer), last_id()
    token = csrf_token(client, "/calendars")

    assert client.post("/calendars", data={"kind": "mine"}).status_code == 400
    assert (
        client.post(fire_url(case, proceeding), data={**DECIDE, "version": "1"}).status_code == 400
    )
    assert client.post("/calendars", data={"kind": "mine", "csrf_token": token}).status_code == 302

    assert [entry.kind for entry in entries_after(mark)] == [AuditKind.FEED_CREATED]
