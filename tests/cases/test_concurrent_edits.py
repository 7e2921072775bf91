"""People saving one case at the same moment, over real HTTP: the app served by werkzeug on
a loopback port with a thread per request, each person a browser with their own session
cookie and CSRF token. Exactly one save wins; the others get the conflict page with what
they typed, never a 500; the database holds exactly the winner's edit."""

from __future__ import annotations

import datetime as dt
import http.client
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from litigation.db import db
from litigation.models import Case, Role

from ..conftest import PASSWORD
from ..pages import action_of, form_with
from .test_reassignment import deactivate

PEOPLE = 4
CONFLICT = "Someone else saved this case while you were editing it."


@dataclass
class Answer:
    status: int
    location: str
    text: str


class Browser:
    """One person's browser over http.client: its own cookies, pages in English."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None) -> Answer:
        headers = {"Accept-Language": "en", "User-Agent": "test-browser"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Answer(response.status, response.getheader("Location", ""), text)
        finally:
            connection.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, fields: dict) -> Answer:
        return self.request("POST", path, fields)

    def sign_in(self, email: str) -> None:
        login = form_with(self.get("/login").text, "csrf_token")
        answer = self.post("/login", {**login, "email": email, "password": PASSWORD})
        assert answer.status == 302, answer.text


@pytest.fixture
def port(mini_app) -> Iterator[int]:
    """The app served for real on a loopback port, a thread per request."""
    server = make_server("127.0.0.1", 0, mini_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def case(mini_registry, create_case, create_user_) -> Case:
    lawyer = create_user_(Role.LAWYER, name="Lawyer on the case")
    case, _ = create_case(
        mini_registry,
        "domestic",
        team=[lawyer],
        facts={"reported_on": dt.date(2026, 1, 12)},
        opened_on=dt.date(2026, 1, 12),
    )
    return case


@pytest.fixture
def coordinators(port, create_user_) -> list[Browser]:
    browsers = []
    for number in range(PEOPLE):
        user = create_user_(Role.COORDINATOR, name=f"Coordinator {number}", language="en")
        browser = Browser(port)
        browser.sign_in(user.email)
        browsers.append(browser)
    return browsers


def save_all_at_once(submissions: list[tuple[Browser, str, dict]]) -> list[Answer]:
    """Post every form at the same moment (the threads wait for each other at a barrier)."""
    barrier = threading.Barrier(len(submissions))
    answers: list[Answer | BaseException | None] = [None] * len(submissions)

    def submit(index: int, browser: Browser, url: str, fields: dict) -> None:
        barrier.wait()
        try:
            answers[index] = browser.post(url, fields)
        except BaseException as error:  # reported below, not lost in the thread
            answers[index] = error

    threads = [
        threading.Thread(target=submit, args=(index, *submission))
        for index, submission in enumerate(submissions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = [answer for answer in answers if not isinstance(answer, Answer)]
    assert failures == []
    return answers  # type: ignore[return-value]


def the_one_winner(answers: list[Answer]) -> int:
    """The index of the one save that succeeded; every other one a conflict, none a 500."""
    unexpected = [(a.status, a.text[-3000:]) for a in answers if a.status not in (302, 409)]
    assert unexpected == []
    assert sorted(answer.status for answer in answers) == [302] + [409] * (len(answers) - 1)
    [winner] = [index for index, answer in enumerate(answers) if answer.status == 302]
    return winner


def test_simultaneous_edits_of_the_details_leave_exactly_the_winner_s(case, coordinators):
    url = f"/cases/{case.id}/edit"
    forms = [form_with(browser.get(url).text, "version") for browser in coordinators]
    typed = [
        {**form, "authority": [f"Name typed by {n}"], "notes": [f"Notes of editor {n}"]}
        for n, form in enumerate(forms)
    ]

    answers = save_all_at_once(
        [(browser, url, form) for browser, form in zip(coordinators, typed, strict=True)]
    )

    winner = the_one_winner(answers)
    assert answers[winner].location.endswith(f"/cases/{case.id}")
    for n, answer in enumerate(answers):
        if n != winner:
            assert CONFLICT in answer.text
            assert f'value="Name typed by {n}"' in answer.text  # what they typed is kept
            assert f"Notes of editor {n}</textarea>" in answer.text
    db.session.expire_all()
    saved = db.session.get(Case, case.id)
    assert (saved.authority, saved.notes) == (
        f"Name typed by {winner}",
        f"Notes of editor {winner}",
    )
    assert saved.version == 2  # one save, one new version


def test_simultaneous_team_changes_leave_exactly_the_winner_s_team(
    case, coordinators, create_user_
):
    [lawyer] = case.team
    colleagues = [create_user_(Role.LAWYER, name=f"Colleague {n}") for n in range(PEOPLE)]
    url = f"/cases/{case.id}/edit"
    forms = [form_with(browser.get(url).text, "version") for browser in coordinators]
    assert all(form["team"] == [str(lawyer.id)] for form in forms)
    teams = [[str(lawyer.id), str(colleague.id)] for colleague in colleagues]
    typed = [{**form, "team": team} for form, team in zip(forms, teams, strict=True)]

    answers = save_all_at_once(
        [(browser, url, form) for browser, form in zip(coordinators, typed, strict=True)]
    )

    winner = the_one_winner(answers)
    for n, answer in enumerate(answers):
        if n != winner:
            assert CONFLICT in answer.text
            chosen = form_with(answer.text, "version")["team"]
            assert sorted(chosen) == sorted(teams[n])  # their choice is still selected
    db.session.expire_all()
    saved = db.session.get(Case, case.id)
    assert sorted(str(user.id) for user in saved.team) == sorted(teams[winner])
    assert saved.version == 2


def test_hand_overs_and_team_edits_at_once_leave_exactly_the_winner_s_team(
    case, coordinators, create_user_
):
    [leaving] = case.team
    deactivate(create_user_(Role.ADMIN), leaving)
    colleagues = [create_user_(Role.LAWYER, name=f"Colleague {n}") for n in range(PEOPLE)]
    edit_url, field = f"/cases/{case.id}/edit", f"c{case.id}u{leaving.id}-to_user"
    submissions, teams = [], []
    for n, (browser, colleague) in enumerate(zip(coordinators, colleagues, strict=True)):
        if n % 2:  # half edit the team on the case's form...
            form = form_with(browser.get(edit_url).text, "version")
            teams.append({leaving.id, colleague.id})
            submissions.append((browser, edit_url, {**form, "team": [leaving.id, colleague.id]}))
        else:  # ...half hand the departed lawyer's place over on the dashboard
            page = browser.get("/dashboard/new-lawyer").text
            teams.append({colleague.id})
            door, form = action_of(page, field), form_with(page, field)
            submissions.append((browser, door, {**form, field: [str(colleague.id)]}))

    answers = save_all_at_once(submissions)

    winner = the_one_winner(answers)
    assert all(CONFLICT in a.text for n, a in enumerate(answers) if n != winner)
    db.session.expire_all()
    saved = db.session.get(Case, case.id)
    assert {user.id for user in saved.team} == teams[winner]
    assert saved.version == 2
