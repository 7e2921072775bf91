"""The case form: the team as checkboxes (who is on the case stays ticked), every team change
told in the case page's team history, and impossible case dates refused beside their field,
with what was typed kept. Shipped workflows.yaml, TODAY = 27 Nov 2026."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Case, Role

from ..conftest import sign_in
from ..pages import action_of, form_with

D = dt.date


@pytest.fixture
def people(app, create_user_):
    return {
        "coordinator": create_user_(Role.COORDINATOR, name="Dana", language="en"),
        "first": create_user_(Role.LAWYER, name="Erlan", language="en"),
        "second": create_user_(Role.LAWYER, name="Zarina", language="en"),
    }


@pytest.fixture
def case(registry, create_case, people):
    case, _ = create_case(
        registry,
        "kz_criminal",
        team=[people["first"]],
        opened_on=D(2025, 1, 10),
        facts={"reported_on": D(2025, 1, 10)},
    )
    return case


@pytest.fixture
def coordinator(client, people):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, people["coordinator"])
    return client


def _edit(client, case, **changes):
    """Load the edit form, change what is given (a list for the team), post it as a browser."""
    url = f"/cases/{case.id}/edit"
    fields = form_with(client.get(url).get_data(as_text=True), "reference")
    for name, value in changes.items():
        fields[name] = value if isinstance(value, list) else [value]
    return client.post(url, data=fields)


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _field(page: str, name: str) -> str:
    match = re.search(
        rf'<div class="field[^"]*">(?:(?!<div class="field).)*?name="{name}".*?</div>', page, re.S
    )
    assert match, f"no field {name}"
    return _text(match.group(0))


def test_the_team_is_a_list_of_checkboxes_with_the_current_members_ticked(
    coordinator, case, people
):
    page = coordinator.get(f"/cases/{case.id}/edit").get_data(as_text=True)

    boxes = re.findall(
        r'<input[^>]*type="checkbox"[^>]*name="team"[^>]*>|<input[^>]*name="team"[^>]*type="checkbox"[^>]*>',
        page,
    )
    ticked = [box for box in boxes if "checked" in box]
    assert len(boxes) == 2
    assert len(ticked) == 1 and f'value="{people["first"].id}"' in ticked[0]
    assert "Erlan (lawyer)" in _text(page)


def test_adding_a_lawyer_keeps_the_one_on_the_case_and_the_history_says_so(
    coordinator, case, people
):
    first, second = people["first"], people["second"]

    response = _edit(coordinator, case, team=[str(first.id), str(second.id)])

    assert response.status_code == 302
    assert {u.name for u in db.session.get(Case, case.id).team} == {"Erlan", "Zarina"}
    page = coordinator.get(f"/cases/{case.id}").get_data(as_text=True)
    history = _text(page[page.index('id="team-history"') :])
    assert "Changes of the team (2)" in history
    assert "Joined: Zarina · Dana" in history
    assert "Case opened with: Erlan · system" in history


def test_unticking_a_lawyer_takes_them_off_and_the_history_says_who_did_it(
    coordinator, case, people
):
    response = _edit(coordinator, case, team=[str(people["second"].id)])

    assert response.status_code == 302
    page = _text(coordinator.get(f"/cases/{case.id}").get_data(as_text=True))
    assert "Joined: Zarina; Left: Erlan · Dana" in page
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.kind == AuditKind.TEAM_CHANGED)
    ).all()
    assert entry.details == {"removed": [people["first"].id], "added": [people["second"].id]}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"incident_date": "2026-12-01"},
            "incident_date",
            "A date of something that happened cannot be in the future.",
        ),
        (
            {"forensic_exam_on": "2025-01-20"},
            "forensic_exam_on",
            "A date of the examination is given but the examination is not marked as done",
        ),
        (
            {"forensic_exam_done": "y", "forensic_exam_on": "2024-12-20"},
            "forensic_exam_on",
            "The examination (Dec 20, 2024) cannot be before the incident (Jan 5, 2025).",
        ),
        (
            {"forensic_exam_done": "y", "forensic_exam_on": "2026-12-20"},
            "forensic_exam_on",
            "cannot be in the future",
        ),
        (
            {"incident_date": "2025-01-12"},
            "incident_date",
            "The incident (Jan 12, 2025) cannot be after «Date the torture report was made» "
            "(Jan 10, 2025), recorded in the route «Kazakhstan: criminal proceedings for torture».",
        ),
    ],
)
def test_an_impossible_case_date_is_refused_beside_its_field_keeping_the_input(
    coordinator, case, changes, field, message
):
    response = _edit(coordinator, case, **changes)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in _field(page, field), _field(page, field)
    assert f'value="{changes[field]}"' in page
    stored = db.session.get(Case, case.id)
    assert (stored.incident_date, stored.forensic_exam_on) == (D(2025, 1, 5), None)


def test_a_new_case_with_an_incident_in_the_future_is_refused_beside_the_date(client, people):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, people["first"])
    page = client.get("/cases/new").get_data(as_text=True)
    fields = form_with(page, "reference")
    fields.update(
        {
            "reference": ["KZ-2026-900"],
            "survivor_name": ["Asel"],
            "jurisdiction": ["KZ"],
            "route": ["kz_criminal"],
            "incident_date": ["2026-12-24"],
            "first_fact": ["2026-11-20"],
        }
    )

    response = client.post(action_of(page, "reference") or "/cases/new", data=fields)

    assert response.status_code == 400
    assert "cannot be in the future" in _field(response.get_data(as_text=True), "incident_date")
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0
