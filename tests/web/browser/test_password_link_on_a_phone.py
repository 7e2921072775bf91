"""A one-time password link on 390 px phones, in chromium: the admin makes it and copies it,
the person opens it, sets a password in their own language and signs in with it."""

from __future__ import annotations

import pytest

from litigation.models import Role

from ...conftest import PASSWORD
from .conftest import ARTIFACTS, fits_phone

pytestmark = pytest.mark.browser
PHONE = 390
NEW_PASSWORD = "violet tram under seven bridges"


def _sign_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) button[type=submit]")


def test_an_admin_passes_a_link_and_the_person_sets_a_password(page, create_user_):
    admin = create_user_(Role.ADMIN, language="en")
    person = create_user_(
        Role.LAWYER, email="a.long.address.for.a.phone@ngo.example", language="ru"
    )
    _sign_in(page, admin.email, PASSWORD)

    page.goto(f"/admin/users/{person.id}")
    assert fits_phone(page)
    page.click("text=Make a password link")
    link = page.input_value("#reset-url")
    assert fits_phone(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "password-link.png"), full_page=True)
    if not page.is_visible("form[action$='/logout'] button"):
        page.click("header summary")  # on a phone, signing out is in the menu
    page.click("form[action$='/logout'] button")

    page.goto(link)
    assert page.url.endswith("/reset")  # the token is no longer in the address bar
    assert page.locator("h1").inner_text() == "Новый пароль"
    assert fits_phone(page)
    page.fill("input[name=new]", NEW_PASSWORD)
    page.fill("input[name=repeat]", NEW_PASSWORD)
    page.click("form button[type=submit]")
    assert "Новый пароль сохранён" in page.locator(".flash.success").inner_text()

    _sign_in(page, person.email, NEW_PASSWORD)
    assert not page.url.endswith("/login")
    page.goto(link)
    assert page.locator("h1").inner_text() == "Ссылка не действует"
