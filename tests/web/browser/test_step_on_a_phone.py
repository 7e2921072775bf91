"""A step recorded on a 390 px phone, in chromium and in Russian: the page lands on the step's
confirmation, inside the viewport however long the case page is; the deadlines it opened are
marked in the table, whose cards keep their column labels; on the phone the stage and the next
steps come before the survivor card. TODAY = 27 Nov 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.cases import fire
from litigation.db import db
from litigation.models import Role

from ...conftest import PASSWORD, TODAY
from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
D = dt.date


@pytest.fixture
def long_case(registry, create_user_, create_case):
    """A KZ case with a long history (so the page is several screens tall), now terminated."""
    lawyer = create_user_(Role.LAWYER, name="Лаура")
    case, proceeding = create_case(
        registry,
        "kz_criminal",
        team=[lawyer],
        opened_on=D(2026, 3, 2),
        facts={"reported_on": D(2026, 3, 2)},
        survivor_name="Асхат Н.",
    )
    steps = [
        ("register", D(2026, 3, 5), {}),
        ("request_victim_status", D(2026, 3, 10), {"victim_status_requested_on": D(2026, 3, 10)}),
        ("victim_status_granted", D(2026, 3, 20), {"victim_status_decided_on": D(2026, 3, 20)}),
        ("complain_to_prosecutor", D(2026, 4, 1), {"complaint_subject": "detention"}),
        ("prosecutor_upholds", D(2026, 4, 10), {"prosecutor_decision_received_on": D(2026, 4, 10)}),
        ("terminate", D(2026, 11, 20), {"termination_decided_on": D(2026, 11, 16)}),
    ]
    for trigger, day, facts in steps:
        fire(
            registry,
            proceeding,
            trigger,
            actor=lawyer,
            occurred_on=day,
            today=TODAY,
            facts=facts,
            note="Примечание к шагу. " * 30,
        )
    db.session.commit()
    return lawyer, case


def _sign_in(page, lawyer) -> None:
    page.goto("/login")
    page.fill("input[name=email]", lawyer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def _in_view(box: dict) -> bool:
    return box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_after_a_step_the_phone_lands_on_its_confirmation(page, registry, long_case):
    lawyer, case = long_case
    route = registry.route("kz_criminal")
    _sign_in(page, lawyer)
    page.goto(f"/cases/{case.id}")
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * PHONE["height"]
    # On the phone the stage and the next steps come before the survivor card.
    stage = page.locator(".stage-now").first.bounding_box()
    survivor = page.locator("#case-facts").bounding_box()
    assert stage["y"] < survivor["y"]

    complain = route.transition("complain_to_prosecutor")
    page.click(f"ul.steps a.button:has-text('{complain.label.ru}')")
    page.fill("input[name=complaint_filed_on]", "2026-11-27")
    page.select_option("select[name=complaint_subject]", "termination")
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state("load")

    assert page.url.endswith("#done")
    done = page.locator("#done")
    box = done.bounding_box()
    assert _in_view(box), box
    text = done.inner_text()
    assert complain.done_label.ru in text, text
    assert "Новый срок" in text and "04.12.2026" in text, text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "step-confirmation-phone.png"))

    marked = page.locator("table.deadlines tr.marked.new")
    assert marked.count() == 2
    first_cell = marked.first.locator("td").first
    label = page.evaluate(
        "cell => getComputedStyle(cell, '::before').content", first_cell.element_handle()
    )
    assert label == '"Срок: "', label
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
