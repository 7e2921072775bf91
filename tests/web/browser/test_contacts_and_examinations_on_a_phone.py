"""A case's contacts and medical-legal examinations on a 390 px phone, in chromium: long
names, addresses and allegations wrap, the forms fit, and a refused form shows its message."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.cases.contacts import add_contact
from litigation.cases.examinations import record_examination
from litigation.db import db
from litigation.models import Role

from ...conftest import PASSWORD
from .conftest import ARTIFACTS, fits_phone

pytestmark = pytest.mark.browser
PHONE = 390


def test_contacts_and_examinations_fit_a_phone(page, registry, create_user_, create_case):
    lawyer = create_user_(Role.LAWYER, name="Lawyer", language="en")
    facts = {"reported_on": dt.date(2026, 10, 1)}
    case, _ = create_case(registry, "kz_criminal", team=[lawyer], facts=facts)
    add_contact(
        case,
        {
            "name": "Гульнара Сейтова-Абдрахманова-Кенжебаева",
            "role": "doctor",
            "organisation": "Independent forensic and psychological documentation centre",
            "email": "a.very.long.address.of.the.doctor@forensic-documentation-centre.example.org",
            "phone": "+7 701 000 00 00",
        },
        actor=lawyer,
    )
    details = {
        "examined_on": dt.date(2026, 10, 3),
        "examiner_name": "Д-р Марат Ахметов",
        "examiner_kind": "independent",
        "status": "done",
    }
    findings = [("Beating on the soles of the feet with a rubber truncheon " * 3, "typical")]
    record_examination(case, details, findings, actor=lawyer)
    db.session.commit()

    page.goto("/login")
    page.fill("input[name=email]", lawyer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"/cases/{case.id}")
    assert page.locator("#contacts li").count() == 1
    assert page.locator("#examinations .findings li").count() == 1
    assert fits_phone(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-contacts-examinations.png"), full_page=True)

    page.goto(f"/cases/{case.id}/contacts/new")
    assert fits_phone(page)
    page.fill("input[name=name]", "Witness")
    page.fill("input[name=email]", "not an address")  # the browser caps lengths itself
    page.click("button[type=submit]")
    assert page.locator(".has-error .error").first.inner_text()
    assert page.input_value("input[name=name]") == "Witness"
    assert fits_phone(page)

    page.goto(f"/cases/{case.id}/examinations/new")
    assert fits_phone(page)
    page.screenshot(path=str(ARTIFACTS / "examination-form.png"), full_page=True)
