"""A lawyer's session in a real browser: Playwright driving Debian's chromium.

Sign in, open a case, fire two transitions, see the new deadline and the history, switch
language. A screenshot of the case page is saved under tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.models import Role

from ...conftest import PASSWORD
from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_lawyer_fires_two_steps_and_switches_language(page, registry, create_user_, create_case):
    lawyer = create_user_(Role.LAWYER, email="browser@example.org", name="Erlan")
    case, _ = create_case(
        registry,
        "kz_criminal",
        team=[lawyer],
        opened_on=dt.date(2026, 10, 1),
        facts={"reported_on": dt.date(2026, 10, 1)},
        survivor_name="Асхат Н.",
    )

    page.goto("/cases")
    assert page.url.endswith("/login?next=/cases")
    page.fill("input[name=email]", lawyer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click(f"text={case.reference}")
    assert page.locator("h1").inner_text().startswith(case.reference)

    route = registry.route("kz_criminal")
    page.click(f"a.button:has-text('{route.transition('register').label.ru}')")
    page.fill("input[name=registered_on]", "2026-10-02")
    page.click("button[type=submit]")
    assert route.stage("investigation").label.ru in page.locator(".stage-now").first.inner_text()

    terminate = route.transition("terminate")
    page.click(f"a.button:has-text('{terminate.label.ru}')")
    page.fill("input[name=termination_decided_on]", "2026-11-16")
    page.fill("input[name=learned_of_decision_on]", "2026-11-20")
    page.click("button[type=submit]")
    done = page.locator("#done").inner_text()
    assert terminate.done_label is None and terminate.label.ru in done, done
    assert "07.12.2026" in done, done
    deadlines = page.locator("table.deadlines").first.inner_text()
    # art. 106(5): 15 days from 20 Nov 2026 end on Saturday 5 Dec, so Monday 7 Dec (art. 48).
    assert "07.12.2026" in deadlines
    history = page.locator("ol.timeline").first.inner_text()
    assert terminate.label.ru in history and route.transition("register").label.ru in history

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-page.png"), full_page=True)

    page.click("header summary")  # on a phone the language is in the menu
    page.click("button[name=language][value=en]")
    assert route.stage("terminated").label.en in page.locator(".stage-now").first.inner_text()
    assert "Dec 7, 2026" in page.locator("table.deadlines").first.inner_text()
