"""The browser tests' fixtures: the app served on a loopback port, and chromium on a phone-sized
screen driven by Playwright (skipped where chromium is not installed); signing in through the
form and whether a page fits the phone, as the tests share them."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ...conftest import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
PHONE_WIDTH = 390  # px: the phones the lawyers carry
CHROMIUM = os.environ.get("BROWSER_EXECUTABLE") or shutil.which("chromium")
# Flags that keep chromium from reaching for the network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_url(app) -> Iterator[str]:
    yield from _serve(app)


def _serve(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _chromium() -> Iterator:
    if not CHROMIUM:
        pytest.skip("chromium is not installed (.ci/run installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(live_url):
    for browser in _chromium():
        context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
        yield context.new_page()
        context.close()


@pytest.fixture(scope="module")
def demo_url(demo_site) -> Iterator[str]:
    """The demo site (tests/web/every_page.py) served for a whole module."""
    yield from _serve(demo_site.app)


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    """One chromium for a whole module; each test opens its own contexts."""
    yield from _chromium()


def fits_phone(page) -> bool:
    """Whether the page is no wider than a 390 px phone (nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def sign_in(page, user) -> None:
    """Sign `user` in through the sign-in form, as a person would."""
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
