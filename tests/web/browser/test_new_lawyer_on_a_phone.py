"""Handing a departed lawyer's cases over on a 390 px phone, in chromium: the pages fit the
screen without sideways scrolling, and the form works as it shows."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.db import db
from litigation.models import Case, Role

from ...cases.test_reassignment import deactivate
from ...conftest import PASSWORD
from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
PHONE = 390


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_an_admin_hands_a_case_over_on_a_phone(page, registry, create_user_, create_case):
    admin = create_user_(Role.ADMIN, name="Admin", language="en")
    departed = create_user_(Role.LAWYER, name="Departed lawyer with a long double-barrelled name")
    colleague = create_user_(Role.LAWYER, name="Colleague")
    cases = [
        create_case(
            registry,
            "kz_criminal",
            team=[departed],
            opened_on=dt.date(2026, 10, 1),
            facts={"reported_on": dt.date(2026, 10, 1)},
        )[0]
        for _ in range(2)
    ]
    deactivate(admin, departed)

    page.goto("/login")
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"/admin/users/{departed.id}")
    assert fits_the_phone(page)
    page.goto("/dashboard/new-lawyer")
    assert fits_the_phone(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "new-lawyer.png"), full_page=True)

    field = f"select[name=c{cases[0].id}u{departed.id}-to_user]"
    page.select_option(field, str(colleague.id))
    page.locator(f"form:has({field}) button[type=submit]").click()

    assert "Colleague takes over case" in page.locator(".flash.success").inner_text()
    db.session.expire_all()
    assert db.session.get(Case, cases[0].id).team == [colleague]
