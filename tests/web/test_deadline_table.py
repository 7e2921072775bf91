"""The case page's deadlines: open ones first, the closed ones folded; each card cell says what it
is; a warning and an unverified rule are explained in words, not in a hover title; overdue
reads as overdue; a date changed by hand shows the counted date, who changed it and why.
Opening another route keeps the form and its errors in place, or lands on what it opened.
Shipped workflows.yaml, TODAY = 27 Nov 2026."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from litigation.cases import fire, override_deadline
from litigation.db import db
from litigation.models import Case, Deadline, Role

from ..conftest import TODAY, post_form, sign_in
from ..pages import confirmation

D = dt.date


@pytest.fixture
def lawyer(app, create_user_):
    return create_user_(Role.LAWYER, name="Erlan", language="en")


@pytest.fixture
def case(registry, create_case, lawyer):
    """Registered, complained of detention, upheld, terminated: 1 open deadline of ours, one of
    the State's (a warning, unverified) closed, and closed ones of every kind."""
    case, proceeding = create_case(
        registry,
        "kz_criminal",
        team=[lawyer],
        opened_on=D(2026, 3, 2),
        facts={"reported_on": D(2026, 3, 2)},
    )
    steps = [
        ("register", D(2026, 3, 5), {}),
        ("complain_to_prosecutor", D(2026, 4, 1), {"complaint_subject": "detention"}),
        ("prosecutor_upholds", D(2026, 4, 10), {"prosecutor_decision_received_on": D(2026, 4, 10)}),
        ("terminate", D(2026, 10, 20), {"termination_decided_on": D(2026, 10, 16)}),
    ]
    for trigger, day, facts in steps:
        fire(registry, proceeding, trigger, actor=None, occurred_on=day, today=TODAY, facts=facts)
    db.session.commit()
    return case


def _page(client, case) -> str:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client.get(f"/cases/{case.id}").get_data(as_text=True)


def _words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_open_deadlines_come_first_and_closed_ones_are_folded(client, case, lawyer):
    sign_in(client, lawyer)
    page = _page(client, case)

    start = page.index('<h3 id="deadlines-')
    shown = page[start : page.index('<details class="closed-deadlines">', start)]
    folded = page[page.index('<details class="closed-deadlines">') :]
    folded = folded[: folded.index("</details>")]
    open_rows = re.findall(r'<tr id="deadline-\d+" class="deadline (\w+)', shown)
    assert open_rows and set(open_rows) == {"open"}
    closed = re.findall(r'<tr id="deadline-\d+" class="deadline (\w+)', folded)
    assert closed and "open" not in closed
    assert f"Closed deadlines ({len(closed)})" in _words(folded)
    # 15 days from 20 Oct ran out on 4 Nov: 23 days before 27 Nov.
    assert "23 days overdue" in _words(shown)
    assert "-23" not in _words(shown)


def test_every_card_cell_says_what_it_is(client, case, lawyer):
    sign_in(client, lawyer)
    page = _page(client, case)

    row = re.search(r'<tr id="deadline-\d+" class="deadline open.*?</tr>', page, re.S).group(0)
    labels = re.findall(r'data-label="([^"]+)"', row)
    assert labels == ["Deadline", "Due", "Status", "Who acts", "Legal basis"]


def test_warning_and_unverified_rule_are_explained_in_words(client, case, lawyer):
    sign_in(client, lawyer)
    page = _page(client, case)

    legend = _words(re.search(r'<dl class="legend">.*?</dl>', page, re.S).group(0))
    assert "warning A presumption or an internal reminder, not a time limit set by law" in legend
    assert "unverified rule This rule was not verified against the official text." in legend
    assert 'title="This rule was not verified' not in page


def test_a_date_changed_by_hand_shows_the_counted_date_who_and_why(client, case, lawyer):
    deadline = db.session.scalars(db.select(Deadline).where(Deadline.status == "open")).first()
    counted = deadline.computed_due
    override_deadline(
        deadline,
        actor=lawyer,
        new_due=D(2026, 12, 15),
        reason="Period restored by the court on 20 Nov",
        today=TODAY,
    )
    db.session.commit()
    sign_in(client, lawyer)

    row = re.search(rf'<tr id="deadline-{deadline.id}".*?</tr>', _page(client, case), re.S).group(0)

    words = _words(row)
    assert "Dec 15, 2026 changed by hand" in words
    assert f"Counted: {counted:%b} {counted.day}, {counted.year}." in words
    assert "Changed by Erlan: «Period restored by the court on 20 Nov»" in words


def test_a_refused_route_keeps_the_form_with_the_reason_beside_its_field(client, case, lawyer):
    sign_in(client, lawyer)
    url = f"/cases/{case.id}/proceedings"
    data = {"route": "un_hrc", "opened_on": "2026-11-20"}  # the final decision's date missing

    response = post_form(client, url, data, form_url=f"/cases/{case.id}")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    form = page[page.index('<section id="open-route">') :]
    assert 'value="2026-11-20"' in form
    beside = re.search(r'<div class="field has-error">.*?</div>', form, re.S).group(0)
    assert 'name="first_fact"' in beside and "Required." in beside
    assert [p.route for p in db.session.get(Case, case.id).proceedings] == ["kz_criminal"]


def test_an_opened_route_lands_on_what_it_opened(client, case, lawyer):
    sign_in(client, lawyer)
    data = {"route": "kz_compensation", "opened_on": "2026-11-20"}

    response = post_form(
        client, f"/cases/{case.id}/proceedings", data, form_url=f"/cases/{case.id}"
    )

    assert response.status_code == 302 and response.headers["Location"].endswith("#done")
    assert "Route opened." in confirmation(_page(client, case))
