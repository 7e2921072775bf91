"""A case's hearings on a 390 px phone, in chromium: a long place and list of attendees wrap,
the form fits, and a hearing in the past is refused with its message, keeping the input."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.cases.hearings import add_hearing
from litigation.db import db
from litigation.models import Role

from ...conftest import PASSWORD
from .conftest import ARTIFACTS, fits_phone

pytestmark = pytest.mark.browser
PHONE = 390


def test_hearings_fit_a_phone(page, registry, create_user_, create_case):
    lawyer = create_user_(Role.LAWYER, name="Lawyer", language="en")
    facts = {"reported_on": dt.date(2026, 10, 1)}
    case, _ = create_case(registry, "kz_criminal", team=[lawyer], facts=facts)
    details = {
        "kind": "court",
        "starts_on": dt.date.today() + dt.timedelta(days=10),
        "starts_at": dt.time(10, 30),
        "duration_minutes": 120,
        "place": "Специализированный межрайонный суд по уголовным делам города Алматы, зал 14",
        "attendees": "Адвокат Ахметова-Кенжебаева, заявитель, независимый эксперт " * 3,
    }
    add_hearing(case, details, actor=lawyer)
    db.session.commit()

    page.goto("/login")
    page.fill("input[name=email]", lawyer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"/cases/{case.id}")
    assert page.locator("#hearings li").count() == 1
    assert fits_phone(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-hearings.png"), full_page=True)
    page.goto("/")
    assert page.locator("#hearings li").count() == 1
    assert fits_phone(page)

    page.goto(f"/cases/{case.id}/hearings/new")
    assert fits_phone(page)
    page.fill("input[name=starts_on]", "2020-01-01")
    page.fill("input[name=starts_at]", "09:00")
    page.fill("input[name=place]", "Court")
    page.click("button[type=submit]")
    assert "passed" in page.locator(".has-error .error").first.inner_text()
    assert page.input_value("input[name=place]") == "Court"
    assert fits_phone(page)
    page.screenshot(path=str(ARTIFACTS / "hearing-form.png"), full_page=True)


def test_the_calendars_page_and_a_hearing_s_calendar_file_on_a_phone(
    page, registry, create_user_, create_case
):
    lawyer = create_user_(Role.LAWYER, name="Юрист", language="ru")
    facts = {"reported_on": dt.date(2026, 10, 1)}
    case, _ = create_case(registry, "kz_criminal", team=[lawyer], facts=facts)
    details = {"kind": "court", "starts_on": dt.date.today() + dt.timedelta(days=10)}
    hearing = add_hearing(case, {**details, "starts_at": dt.time(10, 30)}, actor=lawyer)
    db.session.commit()

    page.goto("/login")
    page.fill("input[name=email]", lawyer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"/cases/{case.id}")
    link = page.locator(f"#hearings a[href='/calendars/hearing/{hearing.id}.ics']")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"hearing-{hearing.id}.ics"
    page.goto("/calendars")
    assert "заседания и встречи" in page.locator(".guidance").inner_text()
    assert fits_phone(page)
    page.screenshot(path=str(ARTIFACTS / "calendars-ru.png"), full_page=True)
