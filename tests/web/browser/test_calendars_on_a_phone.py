"""The calendars pages on a 390 px phone in Russian, in chromium: nothing wider than the screen
with every section unfolded; the address shown once after creating, copied with «Скопировано»
said in the live region; revoking asks first, Cancel changes nothing; and without JavaScript
the same steps work and the address stays selectable text."""

from __future__ import annotations

import re

import pytest

from litigation.db import db
from litigation.feeds import create_feed, revoke_feed
from litigation.models import FeedKind, FeedSubscription, Role

from .conftest import ARTIFACTS, fits_phone, sign_in

pytestmark = pytest.mark.browser
PHONE = 390
LONG_NAME = "Сроки и заседания по делам Алматинской области (команда Ахметовой-Кенжебаевой)"


def _unfold_all(page) -> None:
    for summary in page.locator("details > summary").all():
        summary.click()


@pytest.fixture
def lawyer(registry, create_user_):
    """A Russian-speaking lawyer with a filtered team feed and a revoked one."""
    admin = create_user_(Role.ADMIN, name="Дана Адилова", language="ru")
    lawyer = create_user_(Role.LAWYER, name="Айгуль Ахметова-Кенжебаева", language="ru")
    route = registry.workflows.routes["kz_criminal"]
    create_feed(
        lawyer,
        lawyer,
        kind=FeedKind.TEAM,
        name=LONG_NAME,
        route=route.id,
        stage=route.stages[1].id,
        jurisdiction="KZ",
        reminder_events=True,
    )
    old, _token = create_feed(lawyer, lawyer, kind=FeedKind.MINE, name="Старый телефон")
    revoke_feed(old, admin)
    db.session.commit()
    return lawyer


def test_the_calendars_pages_fit_a_phone_and_the_copy_button_says_copied(page, live_url, lawyer):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_url)
    sign_in(page, lawyer)
    page.goto("/calendars")
    _unfold_all(page)
    # Five apps and the revoked feeds (the header's menu is a details element too).
    assert page.locator("main details[open]").count() == 6
    assert "Дана Адилова" in page.locator("details.revoked").inner_text()
    assert fits_phone(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "calendars-phone-ru.png"), full_page=True)

    page.fill("input[name=name]", "Мои сроки")
    page.click("form.stack button[type=submit]")
    assert re.search(r"/calendars/\d+/address$", page.url)  # the address is not in the URL
    address = page.input_value("#feed-url")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendars/[\w-]+\.ics", address)
    assert fits_phone(page)
    page.click("button[data-copy=feed-url]")
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(page.locator("#copy-status")).to_have_text("Скопировано")
    assert page.evaluate("navigator.clipboard.readText()") == address
    page.screenshot(path=str(ARTIFACTS / "calendar-address-phone-ru.png"), full_page=True)

    page.reload()
    assert page.locator("#feed-url").count() == 0
    assert "показан один раз" in page.locator("main").inner_text()
    assert fits_phone(page)


def test_revoking_asks_first_on_a_phone_without_javascript(page, live_url, lawyer):
    context = page.context.browser.new_context(
        base_url=live_url, viewport={"width": PHONE, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, lawyer)
    page.goto("/calendars")
    page.click("form.stack button[type=submit]")
    assert page.locator("button[data-copy]").first.is_hidden()  # no script: no dead button
    assert page.locator("#feed-url").is_visible() and fits_phone(page)

    page.goto("/calendars")
    feed = db.session.scalars(
        db.select(FeedSubscription).where(FeedSubscription.name == LONG_NAME)
    ).one()
    page.click(f"a[href='/calendars/{feed.id}/revoke']")
    assert page.locator("h1").inner_text() == "Отключить этот календарь?"
    assert fits_phone(page)
    page.screenshot(path=str(ARTIFACTS / "calendar-revoke-phone-ru.png"), full_page=True)
    page.click("text=Отмена")
    db.session.refresh(feed)
    assert feed.revoked_at is None

    page.click(f"a[href='/calendars/{feed.id}/revoke']")
    page.click("button.danger")
    assert page.url.endswith("/calendars")
    assert "отключён" in page.locator(".flashes").inner_text()
    page.reload()  # a GET now: nothing is posted again
    assert page.locator(".flashes").count() == 0
    page.click("details.revoked > summary")
    assert LONG_NAME in page.locator("details.revoked").inner_text()
    assert fits_phone(page)
    context.close()
