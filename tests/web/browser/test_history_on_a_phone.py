"""A running case entered on a 390 px phone, in chromium and in Russian: the new-case form's
"already running" choice, four past steps of the KZ criminal route, a step out of order
refused with what was typed kept, and the deadlines as they stand on TODAY (27 Nov 2026).
No page is wider than the screen. Due dates: tests/web/test_history_entry_kz.py."""

from __future__ import annotations

import pytest

from litigation.models import Role

from ...conftest import PASSWORD
from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
PHONE = 390
STEPS = [
    ("register", {"registered_on": "2026-03-05"}),
    ("terminate", {"termination_decided_on": "2026-04-10", "learned_of_decision_on": "2026-04-20"}),
    ("complain_to_prosecutor", {"complaint_filed_on": "2026-05-12"}),
    ("prosecutor_refuses", {"refusal_received_on": "2026-11-20"}),
]


def _fits(page) -> bool:
    """Whether the page, styles applied, is no wider than the phone (after a form is sent,
    the click returns before the next page has loaded)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE


def _sign_in(page, lawyer) -> None:
    page.goto("/login")
    page.fill("input[name=email]", lawyer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def _open_running_case(page) -> str:
    """Open a running case from the new-case form; the address of its history page."""
    page.goto("/cases/new")
    assert _fits(page)
    page.fill("input[name=reference]", "KZ-2026-014")
    page.fill("input[name=survivor_name]", "Асхат Н.")
    page.select_option("select[name=jurisdiction]", "KZ")
    page.fill("input[name=incident_date]", "2026-02-20")
    page.select_option("select[name=route]", "kz_criminal")
    page.fill("input[name=first_fact]", "2026-03-02")
    page.check("input[name=running]")
    page.click("form.stack button[type=submit]")
    assert page.url.endswith("/history")
    return page.url


def _record(page, route, trigger: str, dates: dict[str, str]) -> None:
    """On the history page: choose what happened next, give its dates, record it."""
    page.click(f"ul.steps a.button:has-text('{route.transition(trigger).label.ru}')")
    assert _fits(page)
    for name, value in dates.items():
        page.fill(f"input[name={name}]", value)
    if trigger == "complain_to_prosecutor":
        page.select_option("select[name=complaint_subject]", "termination")
    page.click("form.stack button[type=submit]")
    assert _fits(page)


def test_a_running_case_entered_on_a_phone(page, registry, create_user_):
    lawyer = create_user_(Role.LAWYER, name="Лаура")
    route = registry.route("kz_criminal")
    _sign_in(page, lawyer)
    history = _open_running_case(page)
    assert _fits(page)

    _record(page, route, *STEPS[0])
    # Out of order: learned of the termination before the registration; refused, kept.
    page.click(f"ul.steps a.button:has-text('{route.transition('terminate').label.ru}')")
    page.fill("input[name=termination_decided_on]", "2026-03-01")
    page.fill("input[name=learned_of_decision_on]", "2026-03-01")
    page.click("form.stack button[type=submit]")
    error = page.locator(".has-error .error").first.inner_text()
    assert "не может быть раньше" in error and "05.03.2026" in error, error
    assert page.input_value("input[name=learned_of_decision_on]") == "2026-03-01"
    assert _fits(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "history-step-refused.png"), full_page=True)

    page.goto(history)
    for trigger, dates in STEPS[1:]:
        _record(page, route, trigger, dates)

    deadlines = page.locator("table.deadlines").inner_text()
    assert "07.12.2026" in deadlines and "осталось 10 дней" in deadlines
    assert deadlines.count("пропущен") == 2 and deadlines.count("соблюдён") == 2
    assert deadlines.count("отменён") == 2
    assert "Открытые: 1" in page.locator("p.standing").inner_text()
    page.screenshot(path=str(ARTIFACTS / "history-entered.png"), full_page=True)

    page.click("p.finish a.button")
    assert page.locator("h1").inner_text().startswith("KZ-2026-014")
    assert "осталось 10 дней" in page.locator("table.deadlines").first.inner_text()
    assert _fits(page)
