"""Everything the runner measures: a name, who asks, what answers are right, and how to
make the n-th request (untimed preparation, such as reading a form, happens in `prepare`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient
from forms import form_fields
from targets import Targets

from litigation.web.feed_serving import BODIES

OK = frozenset({200})
REDIRECT = frozenset({302, 303})
DASHBOARD = [
    "/dashboard",
    "/dashboard?jurisdiction=KZ",
    "/dashboard?lawyer=2",
    "/dashboard?from=2026-01-01",
    "/dashboard/ball",
    "/dashboard/stuck",
    "/dashboard/risk",
    "/dashboard/workload",
    "/dashboard/funnel",
    "/dashboard/indicators",
    "/dashboard/new-lawyer",
]


@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    data: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def send(self, client: FlaskClient) -> Any:
        return client.open(self.path, method=self.method, data=self.data, headers=self.headers)


Prepare = Callable[[FlaskClient, int], Request]


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def moved_a_day(today: str) -> Callable[[dict[str, str]], None]:
    """The form's first date a day earlier: the last step of its proceeding, a day or more
    after the step before it (bench/targets.py), so that the order of steps holds."""

    def change(fields: dict[str, str]) -> None:
        dates = [name for name, value in fields.items() if _is_date(value)]
        name = next(n for n in dates if n != "late_confirmed")
        fields[name] = (dt.date.fromisoformat(fields[name]) - dt.timedelta(days=1)).isoformat()

    return change


@dataclass(frozen=True)
class Scenario:
    name: str
    kind: str  # page, post, feed, api
    user: str  # coordinator, lawyer, anonymous, or fresh (a new client for each request)
    expected: frozenset[int]
    prepare: Prepare


def get(path: str, headers: dict[str, str] | None = None) -> Prepare:
    return lambda _client, _n: Request(path, headers=headers or {})


def built_afresh(path: str) -> Prepare:
    """The feed built again each time: the copy the worker keeps is dropped first (untimed)."""

    def prepare(client: FlaskClient, _n: int) -> Request:
        kept = client.application.extensions.get(BODIES)
        if kept is not None:
            kept.clear()
        return Request(path)

    return prepare


def posted_form(
    form_path: Callable[[int], str],
    action: str,
    today: str,
    change: Callable[[dict[str, str]], None] = lambda _fields: None,
) -> Prepare:
    """The n-th target's form read (untimed), then sent back as it came (or with `change`),
    with its token."""

    def prepare(client: FlaskClient, n: int) -> Request:
        path = form_path(n)
        page = client.get(path)
        fields = form_fields(page.get_data(as_text=True), action, today)
        fields.setdefault("late_confirmed", today)  # a late step is recorded anyway
        change(fields)
        return Request(path, "POST", fields)

    return prepare


def polled_again(path: str) -> Prepare:
    """A calendar polling again with the ETag of its last full answer (nothing changed)."""

    known: list[str] = []  # read once: nothing is written while this scenario runs

    def prepare(client: FlaskClient, _n: int) -> Request:
        if not known:
            known.append(client.get(path).headers.get("ETag", ""))
        return Request(path, headers={"If-None-Match": known[0]})

    return prepare


def sign_in(email: str, password: str, today: str) -> Prepare:
    def prepare(client: FlaskClient, _n: int) -> Request:
        fields = form_fields(client.get("/login").get_data(as_text=True), "login", today)
        return Request("/login", "POST", {**fields, "email": email, "password": password})

    return prepare


def scenarios(
    targets: Targets, feeds: dict[str, str], today: str, signer: tuple[str, str]
) -> list[Scenario]:
    """The measured requests, in the order they run."""
    t = targets
    team = f"/calendars/{feeds['team']}.ics"
    steps, corrections = t.steps, t.corrections

    def step_path(n: int) -> str:
        case, proceeding, trigger = steps[n % len(steps)]
        return f"/cases/{case}/proceedings/{proceeding}/steps/{trigger}"

    def correction_path(n: int) -> str:
        case, event = corrections[n % len(corrections)]
        return f"/cases/{case}/events/{event}/correct"

    pages = [
        ("my work (lawyer)", "lawyer", "/my-work"),
        ("case page", "coordinator", f"/cases/{t.case_id}"),
        ("cases list", "coordinator", "/cases"),
        ("cases list, filtered", "coordinator", "/cases?jurisdiction=KZ&route=kz_criminal"),
        ("cases list, sorted", "coordinator", "/cases?sort=opened"),
        ("cases list, name search", "coordinator", f"/cases?q={t.surname}"),
        ("cases list, reference search", "coordinator", f"/cases?q={t.reference}"),
    ]
    found = [Scenario(name, "page", user, OK, get(path)) for name, user, path in pages]
    found += [
        Scenario(
            "fire a step (POST)",
            "post",
            "coordinator",
            REDIRECT,
            posted_form(step_path, "/steps/", today),
        ),
        Scenario(
            "correct a date (POST)",
            "post",
            "coordinator",
            REDIRECT,
            posted_form(correction_path, "/correct", today, moved_a_day(today)),
        ),
    ]
    found += [Scenario(path, "page", "coordinator", OK, get(path)) for path in DASHBOARD]
    found += [
        Scenario("team feed", "feed", "anonymous", OK, get(team)),
        Scenario("team feed, built afresh", "feed", "anonymous", OK, built_afresh(team)),
        Scenario(
            "team feed, unchanged (If-None-Match)",
            "feed",
            "anonymous",
            frozenset({304}),
            polled_again(team),
        ),
        Scenario(
            "one deadline .ics",
            "feed",
            "coordinator",
            OK,
            get(f"/calendars/deadline/{t.deadline_id}.ics"),
        ),
        Scenario("API: read a case", "api", "coordinator", OK, get(f"/api/v1/cases/{t.case_id}")),
    ]
    found.append(Scenario("sign in (POST)", "post", "fresh", REDIRECT, sign_in(*signer, today)))
    return found
