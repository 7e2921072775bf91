"""The survivor's consents on a 390 px phone, in chromium, in Russian: the case page's Consent
section with a long note and a withdrawn scope, the route list with its greyed-out UN routes,
the withdrawal page, and a consent dated in the future refused with its message, the input
kept."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.cases.consents import record_consent, withdraw_consent
from litigation.db import db
from litigation.models import Role

from ...conftest import PASSWORD, TODAY
from .conftest import ARTIFACTS, fits_phone

pytestmark = pytest.mark.browser
PHONE = 390
NOTE = "Подписанная форма хранится в сейфе офиса в Алматы; разъяснено право на отзыв " * 3


def test_consents_fit_a_phone(page, registry, create_user_, create_case):
    lawyer = create_user_(Role.LAWYER, name="Адвокат", language="ru")
    facts = {"reported_on": dt.date(2026, 10, 1)}
    case, _ = create_case(registry, "kz_criminal", team=[lawyer], facts=facts, consents=())
    given = {"scope": "sharing", "given_on": dt.date(2026, 10, 2), "form": "written"}
    sharing = record_consent(case, given | {"note": NOTE}, actor=lawyer, today=TODAY)
    withdrawal = {"withdrawn_on": dt.date(2026, 11, 1), "withdrawal_note": NOTE}
    withdraw_consent(sharing, withdrawal, expected_version=None, actor=lawyer, today=TODAY)
    medical = {"scope": "medical", "given_on": dt.date(2026, 10, 2), "note": NOTE}
    consent = record_consent(case, medical, actor=lawyer, today=TODAY)
    db.session.commit()

    page.goto("/login")
    page.fill("input[name=email]", lawyer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"/cases/{case.id}")
    assert page.locator("#consent .consent-list li").count() == 5
    assert page.locator("select[name=route] option[disabled]").count() >= 2  # UN, referral
    assert fits_phone(page)
    page.click("#consent summary")
    assert fits_phone(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#consent").screenshot(path=str(ARTIFACTS / "case-consents.png"))

    page.goto(f"/cases/{case.id}/consents/{consent.id}/withdraw")
    assert fits_phone(page)
    page.screenshot(path=str(ARTIFACTS / "consent-withdrawal.png"), full_page=True)

    page.goto(f"/cases/{case.id}/consents/new?scope=litigation")
    assert fits_phone(page)
    page.fill("input[name=given_on]", "2030-01-01")
    page.fill("textarea[name=note]", "Устно, при свидетеле")
    page.click("button[type=submit]")
    assert "будущем" in page.locator(".has-error .error").first.inner_text()
    assert page.input_value("textarea[name=note]") == "Устно, при свидетеле"
    assert fits_phone(page)
    page.screenshot(path=str(ARTIFACTS / "consent-form.png"), full_page=True)
