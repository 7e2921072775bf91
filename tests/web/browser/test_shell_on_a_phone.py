"""The frame of every page in chromium: on a phone one line with the name and a menu button,
the menu opening below it with 44 px links and the current page marked; on a laptop the whole
menu as before; the cursor in the e-mail field; the skip link first under the keyboard; and
the page-wide width check finding what it looks for."""

from __future__ import annotations

import pytest

from litigation.models import Role

from ...conftest import PASSWORD
from .test_every_page_fits import MEASURE, TARGETS

pytestmark = pytest.mark.browser


def _sign_in(page, user) -> None:
    assert page.evaluate("document.activeElement.name") == "email"  # autofocus
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_the_menu_folds_into_one_button_on_a_phone(page, create_user_):
    lawyer = create_user_(Role.LAWYER, language="ru", name="Ерлан Касымов")
    page.goto("/login")
    _sign_in(page, lawyer)

    header = page.locator("header.top").bounding_box()
    links = page.locator("header nav a")
    assert header["height"] <= 56  # it was a quarter of an 844 px screen
    assert not links.first.is_visible()

    page.click("header summary")
    heights = [links.nth(i).bounding_box()["height"] for i in range(links.count())]
    current = page.locator("header nav a[aria-current=page]")
    assert links.first.is_visible() and min(heights) >= 44
    assert current.inner_text() == "Мои задачи"
    assert current.evaluate("a => getComputedStyle(a).fontWeight") == "700"
    assert current.evaluate("a => getComputedStyle(a).borderLeftStyle") == "solid"
    assert page.locator("header button:has-text('Выйти')").bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_laptop_shows_the_whole_menu_as_before(page, create_user_):
    coordinator = create_user_(Role.COORDINATOR, language="ru", name="Дана Ахметова")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/login")
    _sign_in(page, coordinator)

    assert page.url.endswith("/dashboard")
    assert not page.locator("header summary").is_visible()
    assert page.locator("header nav a").first.is_visible()
    assert page.locator("header nav a[aria-current=page]").inner_text() == "Сводка"
    assert page.locator("header.top").bounding_box()["height"] <= 60


def test_the_keyboard_meets_the_skip_link_first(page, create_user_):
    lawyer = create_user_(Role.LAWYER, language="ru")
    page.goto("/login")
    _sign_in(page, lawyer)
    page.goto("/calculator")

    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert skip.inner_text() == "Перейти к содержанию"
    assert skip.bounding_box()["y"] >= 0  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


@pytest.mark.parametrize("width", [390, 1366])
def test_the_width_check_finds_a_wide_element_and_a_small_target(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.set_content(
        f"<body><p style='width:{width + 200}px'>wide</p>"
        "<div style='overflow-x:auto'><table style='width:3000px'><tr><td>scrolls</td></tr>"
        "</table></div><ul><li><a href='#' style='display:block;height:20px'>tap</a></li></ul>"
        "<p>In a sentence, <a href='#'>a link</a> keeps its line.</p></body>"
    )
    seen = page.evaluate(MEASURE, [TARGETS, 44])

    assert seen["page"] > width
    assert [item.split(" ")[0] for item in seen["wide"]] == ["p"]
    assert len(seen["small"]) == 1 and seen["small"][0].startswith("a “tap”")
