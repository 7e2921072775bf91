"""My work keeps our overdue deadlines apart from the answers the State, a court or a Committee
is late with, says who acts on every deadline, and shows each case of a stage with its route,
its stage and its nearest deadline. Shipped workflows.yaml, TODAY = 27 Nov 2026."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from litigation.cases import fire
from litigation.db import db
from litigation.models import Role

from ..conftest import TODAY, sign_in

D = dt.date


@pytest.fixture
def lawyer(app, create_user_):
    return create_user_(Role.LAWYER, name="Erlan", language="en")


def _kz(registry, create_case, team, reported_on, steps=()):
    case, proceeding = create_case(
        registry,
        "kz_criminal",
        team=team,
        opened_on=reported_on,
        facts={"reported_on": reported_on},
    )
    for trigger, day, facts in steps:
        fire(registry, proceeding, trigger, actor=None, occurred_on=day, today=TODAY, facts=facts)
    db.session.commit()
    return case


@pytest.fixture
def cases(registry, create_case, create_user_, lawyer):
    terminated = [("register", D(2026, 10, 2), {})]
    return {
        # ERDR registration (the State, 1 day) overdue since 2 Oct.
        "reported": _kz(registry, create_case, [lawyer], D(2026, 10, 1)),
        # The judge complaint from acquaintance (ours, 15 days from 20 Oct) overdue since 4 Nov.
        "late": _kz(
            registry,
            create_case,
            [lawyer],
            D(2026, 10, 1),
            [
                *terminated,
                ("terminate", D(2026, 10, 20), {"termination_decided_on": D(2026, 10, 16)}),
            ],
        ),
        # The same complaint, 15 days from 20 Nov: due Mon 7 Dec, within 14 days.
        "soon": _kz(
            registry,
            create_case,
            [lawyer],
            D(2026, 10, 1),
            [
                *terminated,
                ("terminate", D(2026, 11, 20), {"termination_decided_on": D(2026, 11, 16)}),
            ],
        ),
        "not_mine": _kz(registry, create_case, [create_user_(Role.LAWYER)], D(2026, 10, 1)),
    }


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}">')
    end = page.index("</section>", start)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page[start:end])).split())


def test_our_overdue_deadlines_are_apart_from_the_answers_others_owe(client, cases, lawyer):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, lawyer)

    page = client.get("/").get_data(as_text=True)

    ours = _section(page, "overdue")
    theirs = _section(page, "late-answers")
    assert "Our overdue deadlines (1)" in ours
    assert cases["late"].reference in ours and "our side" in ours
    assert "23 days overdue" in ours
    assert cases["reported"].reference not in ours
    assert "Answers overdue from the State, a court or a Committee (1)" in theirs
    assert cases["reported"].reference in theirs and "the state" in theirs.lower()
    assert "Registration of the report in the ERDR (1 day)" in theirs
    assert cases["not_mine"].reference not in page
    upcoming = _section(page, "upcoming")
    assert cases["soon"].reference in upcoming and "10 days left" in upcoming


def test_every_deadline_says_who_acts_even_on_a_phone_card(client, cases, lawyer):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, lawyer)

    page = client.get("/").get_data(as_text=True)

    assert page.count("<th>Who acts</th>") == 3
    assert 'data-label="Who acts"' in page


def test_each_case_of_a_stage_shows_its_route_stage_and_nearest_deadline(client, cases, lawyer):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, lawyer)

    by_stage = _section(client.get("/").get_data(as_text=True), "by-stage")

    soon = by_stage[by_stage.index(cases["soon"].reference) :]
    assert (
        soon.startswith(
            f"{cases['soon'].reference} Investigation terminated · "
            "Kazakhstan: criminal proceedings for torture"
        )
        or "Case terminated" in soon[:200]
    )
    assert "Next deadline: Complaint to the investigating judge" in soon[:400]
    assert "10 days left · who acts: our side" in soon[:400]
