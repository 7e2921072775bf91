"""Screenshots for the README: the case page and the dashboard in Russian over the demo data,
on a 390 px phone and a 1366 px laptop, as the first screen shows them. They go to
tests/artifacts/ (git-ignored), or where SCREENSHOTS says: `make screenshots`, or

    SCREENSHOTS=docs/screenshots BROWSER_EXECUTABLE=/usr/bin/chromium \\
        .venv/bin/python -m pytest -p no:cacheprovider tests/web/browser/test_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from litigation.models import Role

from ..every_page import richest_case
from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[3]
SIZES = {"phone": (390, 844), "desktop": (1366, 768)}


def _folder() -> Path:
    folder = ROOT / os.environ["SCREENSHOTS"] if os.environ.get("SCREENSHOTS") else ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _signed_in(chromium, demo_url, site, role: Role, size: str):
    width, height = SIZES[size]
    context = chromium.new_context(
        base_url=demo_url, viewport={"width": width, "height": height}, locale="ru-RU"
    )
    page = context.new_page()
    user = site.user(role)
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", site.passwords[user.email])
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_case_page_and_the_dashboard(chromium, demo_url, demo_site, size):
    lawyer = demo_site.user(Role.LAWYER)
    case = richest_case(lawyer, demo_site.today)
    shots = {
        "case-page": (Role.LAWYER, f"/cases/{case.id}"),
        "dashboard": (Role.COORDINATOR, "/dashboard"),
    }
    for name, (role, url) in shots.items():
        context, page = _signed_in(chromium, demo_url, demo_site, role, size)
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
        path = _folder() / f"{name}-{size}.png"
        page.screenshot(path=str(path))
        context.close()
        assert path.stat().st_size < 300_000, f"{path.name} is over 300 KB"
