"""The lawyers' interface through the test client: access, forms, CSRF, corrections."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from litigation.db import db
from litigation.models import Deadline, Event, Proceeding, Role

from ..conftest import csrf_token, post_form, sign_in
from ..pages import confirmation

D = dt.date


@pytest.fixture(autouse=True)
def _english_browser(mini_client):
    """These tests read English messages; Russian is covered in test_i18n.py."""
    mini_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def lawyer(mini_app, create_user_):
    return create_user_(Role.LAWYER, language="en")


@pytest.fixture
def kz_case(mini_registry, create_case, lawyer):
    case, proceeding = create_case(
        mini_registry,
        "domestic",
        team=[lawyer],
        facts={"reported_on": D(2026, 1, 12)},
        opened_on=D(2026, 1, 12),
        survivor_name="Асхат Нурланов",
    )
    return case, proceeding


def _flashes(response) -> list[str]:
    return re.findall(r'class="flash [^"]*">([^<]*)<', response.get_data(as_text=True))


def _fire_url(case, proceeding, trigger="decide"):
    return f"/cases/{case.id}/proceedings/{proceeding.id}/steps/{trigger}"


DECIDE = {"learned_on": "2026-03-10", "decided_on": "2026-03-05", "outcome": "refused"}


@pytest.mark.parametrize(
    "url", ["/", "/cases", "/cases/1", "/routes", "/calculator", "/cases/new", "/api/v1/cases/1"]
)
def test_anonymous_visits_redirect_to_login(mini_client, url):
    response = mini_client.get(url)
    if url.startswith("/api/"):
        assert response.status_code == 401
        assert response.json == {"error": "not signed in"}
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_bad_credentials_give_a_clear_message(mini_client, lawyer):
    response = sign_in(mini_client, lawyer, password="wrong password")
    assert response.status_code == 401
    assert "Wrong email or password." in _flashes(response)


def test_repeated_failures_are_throttled(mini_client, lawyer):
    for _ in range(5):
        assert sign_in(mini_client, lawyer, password="wrong password").status_code == 401
    response = sign_in(mini_client, lawyer)  # even the right password waits now
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.get_data(as_text=True)


def test_sign_in_follows_only_local_next(mini_client, lawyer):
    token = csrf_token(mini_client, "/login")
    response = mini_client.post(
        "/login?next=https://evil.example/",
        data={"email": lawyer.email, "password": "correct horse battery", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_login_form_without_csrf_token_is_refused(mini_client, lawyer):
    response = mini_client.post(
        "/login", data={"email": lawyer.email, "password": "correct horse battery"}
    )
    assert response.status_code == 400


def test_lawyer_cannot_see_or_act_on_a_case_not_assigned(
    mini_client, mini_registry, create_case, create_user_, kz_case
):
    case, proceeding = kz_case
    stranger = create_user_(Role.LAWYER)
    sign_in(mini_client, stranger)
    assert mini_client.get(f"/cases/{case.id}").status_code == 404
    assert mini_client.get(_fire_url(case, proceeding)).status_code == 404
    assert mini_client.get(f"/api/v1/cases/{case.id}").status_code == 404
    listing = mini_client.get("/cases").get_data(as_text=True)
    assert case.reference not in listing
    # Even with a valid token from another form, the action answers 404 and writes nothing.
    response = mini_client.post(
        _fire_url(case, proceeding),
        data={**DECIDE, "csrf_token": csrf_token(mini_client, "/cases/new")},
    )
    assert response.status_code == 404
    assert db.session.get(Proceeding, proceeding.id).stage == "reported"


def test_staff_see_their_case_read_only(mini_client, create_user_, mini_registry, create_case):
    staff = create_user_(Role.STAFF)
    case, proceeding = create_case(
        mini_registry, "domestic", team=[staff], facts={"reported_on": D(2026, 1, 12)}
    )
    sign_in(mini_client, staff)
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert case.reference in page
    assert "Нет права действовать по этому делу." in page
    assert mini_client.get(_fire_url(case, proceeding)).status_code == 403


def test_coordinator_sees_every_case(mini_client, create_user_, kz_case):
    case, _ = kz_case
    sign_in(mini_client, create_user_(Role.COORDINATOR))
    assert mini_client.get(f"/cases/{case.id}").status_code == 200


def test_case_page_shows_stage_guidance_and_next_steps(mini_client, lawyer, kz_case):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Асхат Нурланов" in page
    assert "Wait for the decision." in page  # guidance of the stage, in the user's language
    assert _fire_url(case, proceeding) in page
    assert 'class="stage current"' in page  # the diagram marks the current stage


def test_firing_a_transition_creates_the_deadline_and_history(mini_client, lawyer, kz_case):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    response = post_form(mini_client, _fire_url(case, proceeding), {**DECIDE, "version": "1"})
    assert response.status_code == 302
    page = mini_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "New deadline: Appeal (15 days) — Mar 26, 2026" in confirmation(page)
    assert "CPC RK art. 106(5)" in page
    assert db.session.get(Proceeding, proceeding.id).stage == "decided"
    assert [e.trigger for e in db.session.scalars(db.select(Event).order_by(Event.id))] == [
        "open",
        "decide",
    ]


def test_a_future_date_re_renders_with_the_message_and_writes_nothing(mini_client, lawyer, kz_case):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    response = post_form(
        mini_client,
        _fire_url(case, proceeding),
        {**DECIDE, "learned_on": "2027-01-01", "version": "1"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "cannot be in the future" in page
    assert 'value="2026-03-05"' in page  # what the user typed is kept
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 1


def test_a_date_before_the_previous_event_is_refused(mini_client, lawyer, kz_case):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    response = post_form(
        mini_client,
        _fire_url(case, proceeding),
        {**DECIDE, "learned_on": "2025-12-31", "version": "1"},
    )
    assert response.status_code == 400
    assert (
        "The date Dec 31, 2025 cannot be before the previous event of the route "
        "(the opening of the route, Jan 12, 2026)" in response.get_data(as_text=True)
    )


def test_a_step_gone_from_the_stage_answers_404(mini_client, lawyer, kz_case):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    token = csrf_token(mini_client, _fire_url(case, proceeding))
    post_form(mini_client, _fire_url(case, proceeding), {**DECIDE, "version": "1"})  # someone else
    response = mini_client.post(
        _fire_url(case, proceeding, "decide"), data={**DECIDE, "version": "1", "csrf_token": token}
    )
    assert response.status_code == 404  # "decide" is no longer a step from the new stage


def test_a_stale_form_is_refused_with_an_explanation_and_changes_nothing(
    mini_client, lawyer, kz_case
):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    post_form(mini_client, _fire_url(case, proceeding), {**DECIDE, "version": "1"})
    appeal_url = _fire_url(case, proceeding, "appeal")
    page = mini_client.get(appeal_url).get_data(as_text=True)
    loaded_version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    token = csrf_token(mini_client, appeal_url)
    deadline = db.session.scalars(db.select(Deadline).filter_by(rule="appeal")).one()
    post_form(  # a colleague changes the deadline while the form is open
        mini_client,
        f"/cases/{case.id}/deadlines/{deadline.id}/override",
        {"due_date": "2026-04-30", "reason": "Extension granted", "version": loaded_version},
    )
    events_before = db.session.scalar(db.select(db.func.count()).select_from(Event))

    response = mini_client.post(
        appeal_url,
        data={"occurred_on": "2026-03-12", "version": loaded_version, "csrf_token": token},
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/cases/{case.id}")
    page = mini_client.get(f"/cases/{case.id}")
    assert "Someone else changed this proceeding while you were working on it" in " ".join(
        _flashes(page)
    )
    assert db.session.get(Proceeding, proceeding.id).stage == "decided"
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == events_before


def test_correcting_a_date_moves_the_deadlines(mini_client, lawyer, kz_case):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    post_form(mini_client, _fire_url(case, proceeding), {**DECIDE, "version": "1"})
    event = db.session.scalars(db.select(Event).where(Event.trigger == "decide")).one()
    url = f"/cases/{case.id}/events/{event.id}/correct"
    dates = {"decided_on": "2026-03-01", "learned_on": "2026-03-02"}
    response = post_form(mini_client, url, {**dates, "note": "typo in the dates"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#done")
    done = confirmation(mini_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Mar 26, 2026 → Mar 17, 2026" in done, done
    assert db.session.scalars(db.select(Deadline)).one().due_date == D(2026, 3, 17)


def test_override_needs_a_reason_and_keeps_the_form(mini_client, lawyer, kz_case):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    post_form(mini_client, _fire_url(case, proceeding), {**DECIDE, "version": "1"})
    deadline = db.session.scalars(db.select(Deadline)).one()
    url = f"/cases/{case.id}/deadlines/{deadline.id}/override"
    response = post_form(mini_client, url, {"due_date": "2026-04-30", "reason": ""})
    assert response.status_code == 400
    response = post_form(
        mini_client, url, {"due_date": "2026-04-30", "reason": "Restored by the court"}
    )
    assert response.status_code == 302
    db.session.refresh(deadline)
    assert (deadline.due_date, deadline.override_reason) == (
        D(2026, 4, 30),
        "Restored by the court",
    )


def test_unavailable_step_shows_its_reason(mini_client, lawyer, kz_case, mini_registry):
    from litigation.cases.operations import open_proceeding

    case, proceeding = kz_case
    open_proceeding(
        mini_registry,
        case,
        "un",
        actor=None,
        opened_on=D(2026, 3, 1),
        today=D(2026, 11, 27),
        facts={"final_domestic_decision_on": D(2026, 3, 1)},
    )
    db.session.commit()
    sign_in(mini_client, lawyer)
    post_form(mini_client, _fire_url(case, proceeding), {**DECIDE, "version": "1"})
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "This matter already went to a UN treaty body (un)." in page


def test_case_list_searches_and_filters(mini_client, lawyer, mini_registry, create_case):
    create_case(
        mini_registry,
        "domestic",
        team=[lawyer],
        survivor_name="Болат Касымов",
        facts={"reported_on": D(2026, 1, 12)},
    )
    create_case(
        mini_registry,
        "domestic",
        team=[lawyer],
        survivor_name="Гульнар Сеитова",
        facts={"reported_on": D(2026, 1, 12)},
    )
    sign_in(mini_client, lawyer)
    page = mini_client.get("/cases?q=касымов").get_data(as_text=True)
    assert "Болат Касымов" in page and "Гульнар Сеитова" not in page
    page = mini_client.get("/cases?stage=decided").get_data(as_text=True)
    assert "No case matches." in page


def test_opening_a_case_from_the_form(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    data = {
        "reference": "KZ-2026-900",
        "survivor_name": "Ержан Т.",
        "jurisdiction": "KZ",
        "opened_on": "2026-11-20",
        "route": "domestic",
        "route_opened_on": "2026-11-20",
        "first_fact": "2026-11-19",
        "survivor_reprisal_risk": "high",
        "consent_litigation": "y",
        "consent_given_on": "2026-11-20",
    }
    response = post_form(mini_client, "/cases/new", data)
    assert response.status_code == 302, _flashes(response)
    page = mini_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "KZ-2026-900" in page and "Ержан Т." in page


def test_opening_a_case_without_the_required_opening_fact_keeps_the_input(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    data = {
        "reference": "KZ-2026-901",
        "survivor_name": "Ержан Т.",
        "jurisdiction": "KZ",
        "opened_on": "2026-11-20",
        "route": "domestic",
        "route_opened_on": "2026-11-20",
        "survivor_reprisal_risk": "low",
    }
    response = post_form(mini_client, "/cases/new", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Required." in page and 'value="KZ-2026-901"' in page


def test_calculator_explains_the_roll_forward(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    page = mini_client.get("/calculator?anchor=2026-03-10&amount=15&unit=d&calendar=KZ&roll=y")
    text = page.get_data(as_text=True)
    assert 'datetime="2026-03-26"' in text
    assert "Nowruz" in text


def test_calculator_rejects_a_bad_date(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    response = mini_client.get("/calculator?anchor=2026-02-30&amount=15&unit=d&calendar=KZ")
    assert response.status_code == 400


def test_language_switch_changes_the_interface(mini_client, lawyer, kz_case):
    case, _ = kz_case
    sign_in(mini_client, lawyer)
    post_form(
        mini_client,
        "/account/language",
        {"language": "ru", "next": f"/cases/{case.id}"},
        form_url=f"/cases/{case.id}",
    )
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Ждите решения." in page  # the stage guidance from workflows.yaml, now in Russian
    assert 'lang="ru"' in page


def test_api_errors_are_json_with_a_message(mini_client, lawyer, kz_case):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    token = csrf_token(mini_client, f"/cases/{case.id}")
    url = f"/api/v1/cases/{case.id}/proceedings/{proceeding.id}/fire"
    response = mini_client.post(
        url,
        json={"trigger": "decide", "facts": {"learned_on": "2027-01-01"}},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 400
    assert response.json["fields"]["learned_on"].startswith("A date of something")
    response = mini_client.post(url, json={"trigger": "decide"})
    assert response.status_code == 400 and "error" in response.json


def test_pages_send_security_headers(mini_client, lawyer):
    sign_in(mini_client, lawyer)
    response = mini_client.get("/cases")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def _form_values(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page))


def test_two_people_editing_one_case_do_not_overwrite_each_other(
    mini_client, mini_app, lawyer, kz_case
):
    case, _ = kz_case
    url = f"/cases/{case.id}/edit"
    sign_in(mini_client, lawyer)
    first_tab = _form_values(mini_client.get(url).get_data(as_text=True))
    second = mini_app.test_client()
    second.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(second, lawyer)
    second_tab = _form_values(second.get(url).get_data(as_text=True))
    base = {"jurisdiction": "KZ", "reference": case.reference}
    saved = second.post(url, data={**base, **second_tab, "authority": "Second editor"})
    assert saved.status_code == 302
    stale = mini_client.post(url, data={**base, **first_tab, "authority": "First editor"})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Someone else saved this case" in page
    assert 'value="First editor"' in page  # what the first person typed is kept
    assert db.session.get(type(case), case.id).authority == "Second editor"


def test_a_team_change_moves_the_case_version_so_a_stale_form_cannot_undo_it(
    mini_app, create_user_, lawyer, kz_case
):
    case, _ = kz_case
    colleague = create_user_(Role.LAWYER, name="Colleague")
    url = f"/cases/{case.id}/edit"
    unchanged = {  # exactly what the case holds, as the edit form shows it
        "reference": case.reference,
        "survivor_name": case.survivor_name,
        "jurisdiction": "KZ",
        "incident_date": case.incident_date.isoformat(),
        "reprisal_risk": case.reprisal_risk,
        "version": str(case.version),
    }
    first, second = mini_app.test_client(), mini_app.test_client()
    for client in (first, second):
        sign_in(client, create_user_(Role.COORDINATOR, language="en"))
    first_token, second_token = csrf_token(first, url), csrf_token(second, url)
    both = [str(lawyer.id), str(colleague.id)]

    saved = second.post(url, data={**unchanged, "team": both, "csrf_token": second_token})
    stale = first.post(url, data={**unchanged, "team": [str(lawyer.id)], "csrf_token": first_token})

    assert saved.status_code == 302  # only the team changed...
    assert stale.status_code == 409  # ...and that moved the version
    team = {user.id for user in db.session.get(type(case), case.id).team}
    assert team == {lawyer.id, colleague.id}


def test_a_stale_override_is_refused(mini_client, lawyer, kz_case):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    post_form(mini_client, _fire_url(case, proceeding), {**DECIDE, "version": "1"})
    deadline = db.session.scalars(db.select(Deadline)).one()
    url = f"/cases/{case.id}/deadlines/{deadline.id}/override"
    loaded = _form_values(mini_client.get(url).get_data(as_text=True))
    post_form(mini_client, url, {"due_date": "2026-04-30", "reason": "Restored by the court"})
    response = mini_client.post(url, data={**loaded, "due_date": "2026-05-30", "reason": "Other"})
    assert response.status_code == 303
    db.session.refresh(deadline)
    assert deadline.due_date == D(2026, 4, 30)


def test_choice_facts_show_their_labels_in_the_form_and_history(mini_client, lawyer, kz_case):
    case, proceeding = kz_case
    sign_in(mini_client, lawyer)
    form = mini_client.get(_fire_url(case, proceeding)).get_data(as_text=True)
    assert '<option value="refused">Complaint refused</option>' in form
    post_form(mini_client, _fire_url(case, proceeding), {**DECIDE, "version": "1"})
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Outcome: Complaint refused" in page


def test_editing_a_case_keeps_a_deactivated_lawyer_s_assignment(mini_app, create_user_, kz_case):
    case, _ = kz_case
    [member] = case.team
    member.active = False
    db.session.commit()
    client = mini_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, create_user_(Role.COORDINATOR, language="en"))
    url = f"/cases/{case.id}/edit"
    page = client.get(url).get_data(as_text=True)
    ticked = [
        tag
        for tag in re.findall(r'<input[^>]*name="team"[^>]*>', page)
        if f'value="{member.id}"' in tag
    ]

    assert "inactive" in page
    assert ticked and "checked" in ticked[0]  # saving the form keeps the assignment
