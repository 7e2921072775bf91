"""The coordinators' dashboard on a 390 px phone, in chromium, over the demo data: the pages
fit the screen, chart text is read at 11 px or more, and the bottleneck table shows the stages
with something in them until asked for every stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from ...backups.conftest import demo_logins
from ...conftest import TODAY
from .conftest import ARTIFACTS, fits_phone

pytestmark = pytest.mark.browser
PHONE = 390
COORDINATOR = "coordinator@demo.example"
# The smallest text of every chart, in CSS pixels as drawn: its font size times the scale.
SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.chart text')].map(
    (text) => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a))"""


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return demo_logins(Path(app.config["DEMO_CREDENTIALS_FILE"]))


def test_a_coordinator_reads_the_dashboard_on_a_phone(page, demo):
    page.goto("/login")
    page.fill("input[name=email]", COORDINATOR)
    page.fill("input[name=password]", demo[COORDINATOR])
    page.click("button[type=submit]")

    page.goto("/dashboard")
    assert fits_phone(page)
    assert page.evaluate(SMALLEST_TEXT) >= 11
    shown = page.locator("#bottlenecks tbody tr").count()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-bottlenecks.png"), full_page=True)
    page.click("text=Показать все стадии")
    assert page.locator("#bottlenecks tbody tr").count() > shown
    assert fits_phone(page)

    for section in ("/dashboard/risk", "/dashboard/funnel"):
        page.goto(section)
        assert fits_phone(page), section
        assert page.evaluate(SMALLEST_TEXT) >= 11, section
    page.screenshot(path=str(ARTIFACTS / "dashboard-funnel.png"), full_page=True)
