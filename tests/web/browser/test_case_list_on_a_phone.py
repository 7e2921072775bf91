"""The cases list, its filters and the case summary on a 390 px phone, in chromium, in
Russian: nothing wider than the screen; a stage chosen under its route filters the list and
«Сбросить фильтры» clears it; the new-case form's suggested reference follows the
jurisdiction chosen."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.cases.hearings import add_hearing
from litigation.db import db, utcnow
from litigation.models import Role

from .conftest import ARTIFACTS, fits_phone, sign_in

pytestmark = pytest.mark.browser
PHONE = 390
LONG = "Следственный изолятор № 1 Департамента уголовно-исполнительной системы по г. Алматы"


@pytest.fixture
def world(registry, create_user_, create_case):
    coordinator = create_user_(Role.COORDINATOR, name="Координатор", language="ru")
    hrc, _ = create_case(
        registry,
        "un_hrc",
        facts={"final_domestic_decision_on": dt.date(2026, 6, 1)},
        survivor_name="Артём Семёнов",
        incident_place=LONG,
        authority="Департамент полиции Карагандинской области",
    )
    cat, _ = create_case(
        registry,
        "un_cat",
        facts={"final_domestic_decision_on": dt.date(2026, 6, 1)},
        survivor_name="Гульнара Ёлкина",
    )
    kz, _ = create_case(
        registry,
        "kz_criminal",
        team=[coordinator],
        facts={"reported_on": dt.date(2026, 11, 20)},
        consents=("litigation", "sharing"),
        reprisal_risk="low",
        survivor_name="Асель Нурланова",
        incident_place=LONG,
    )
    hearing = {
        "kind": "prison_visit",
        "starts_on": dt.date(utcnow().year + 1, 2, 3),
        "starts_at": dt.time(9, 0),
        "place": LONG,
        "attendees": "Адвокат, переводчик, врач-психиатр независимой экспертизы",
    }
    add_hearing(kz, hearing, actor=None)
    db.session.commit()
    return coordinator, hrc, cat, kz


def test_the_cases_list_and_its_filters_fit_a_phone(page, world):
    coordinator, hrc, _cat, _kz = world
    sign_in(page, coordinator)

    page.goto("/cases?q=березовка")
    assert fits_phone(page)
    page.goto("/cases")
    assert fits_phone(page)
    page.select_option("select[name=stage]", "un_hrc:preparing")
    page.click("button:has-text('Применить')")
    assert page.locator("table.list tbody a").all_inner_texts() == [hrc.reference]
    assert fits_phone(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cases-list-filtered.png"), full_page=True)

    page.click("text=Сбросить фильтры")
    assert page.locator("table.list tbody a").count() == 3
    assert page.locator("text=Сбросить фильтры").count() == 0

    page.fill("input[name=q]", "СЕМЁНОВ")
    page.click("button:has-text('Применить')")
    assert page.locator("table.list tbody a").all_inner_texts() == [hrc.reference]
    page.goto("/cases?stage=preparing")
    assert page.locator(".flash.warning").count() == 1
    assert fits_phone(page)


def test_the_summary_fits_a_phone_with_and_without_the_name(page, world):
    coordinator, _hrc, _cat, kz = world
    sign_in(page, coordinator)

    page.goto(f"/cases/{kz.id}")
    page.click(f"a[href='/cases/{kz.id}/summary']")
    assert "пострадавший по делу" in page.inner_text("article.summary")
    assert fits_phone(page)
    page.check("input[name=names]")
    page.click(".summary-options button[type=submit]")
    assert "Асель Нурланова" in page.inner_text("article.summary")
    assert fits_phone(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-summary.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden()
    assert page.locator(".summary-options").is_hidden()
    assert page.locator(".summary-footer").is_visible()


def test_the_suggested_reference_follows_the_jurisdiction(page, world):
    coordinator, *_ = world
    sign_in(page, coordinator)

    page.goto("/cases/new")
    suggested = page.input_value("input[name=reference]")
    page.select_option("select[name=jurisdiction]", "TJ")

    assert suggested.startswith("KZ-")
    assert page.input_value("input[name=reference]").startswith("TJ-")
    assert fits_phone(page)
