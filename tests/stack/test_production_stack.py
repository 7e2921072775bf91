"""The production stack as it runs: chromium over https through nginx (deploy/nginx.conf) to
gunicorn (deploy/gunicorn.conf.py, 3 workers, --preload) on a PostgreSQL database of its own,
set up with the `litigation` command as docs/deployment.md says.

A lawyer signs in, opens a case, records a step, uploads a 3 MB scan (past the 2 MB every other
page takes) and downloads it again, subscribes to a calendar feed and signs out. The cookies
are Secure, HSTS is sent, and no log ever holds the feed's token, nor the token of a one-time
password link.
"""

from __future__ import annotations

import re
import secrets
import socket
import ssl
import urllib.error
import urllib.request

import pytest
from icalendar import Calendar

from litigation.workflows import Registry

from ..conftest import PASSWORD, SHIPPED_WORKFLOWS
from .conftest import LAWYER, Stack

pytestmark = [pytest.mark.browser, pytest.mark.stack]

REFERENCE = "STACK-1"
SURVIVOR = "Асхат Стеков"
MASKED_FEED = re.compile(r'"GET /calendars/\*\*\*\.ics HTTP/[\d.]+" (\d{3}) ')
MASKED_RESET = re.compile(r'"GET /(?:reset/|r%65set%2F)\*\*\* HTTP/[\d.]+" (\d{3}) ')
# A password link nobody made: its address is masked whether or not the link works.
RESET_TOKEN = secrets.token_urlsafe(32)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _sign_in(page, site: str) -> None:
    page.goto("/cases")
    assert page.url == f"{site}/login?next=/cases", page.url
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=email]").fill(LAWYER)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=remember]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/cases")


def _open_case(page) -> str:
    """Open a case on the KZ criminal route through the form; return the day it used."""
    page.goto("/cases/new")
    today = page.input_value("input[name=opened_on]")  # the server's today, in Almaty
    page.fill("input[name=reference]", REFERENCE)
    page.fill("input[name=survivor_name]", SURVIVOR)
    page.select_option("select[name=jurisdiction]", "KZ")
    page.select_option("select[name=route]", "kz_criminal")
    page.fill("input[name=first_fact]", today)
    page.click("form.stack button[type=submit]")
    assert page.locator("h1").inner_text().startswith(REFERENCE)
    return today


def _record_registration(page, route, day: str) -> dict[str, str]:
    """Record the registration of the report on the case page; the answer's headers."""
    page.click(f"a.button:has-text('{route.transition('register').label.ru}')")
    page.fill("input[name=registered_on]", day)
    with page.expect_navigation() as navigation:
        page.click("form.stack button[type=submit]")
    assert route.stage("investigation").label.ru in page.locator(".stage-now").first.inner_text()
    return navigation.value.headers


def _upload_and_download(page) -> None:
    """A scan larger than other pages' bodies goes through nginx's documents location, and
    comes back byte for byte with its Cyrillic name."""
    scan = b"%PDF-1.4\n" + bytes(range(256)) * (3 * 4096)
    page.click("#documents a >> text=Добавить документ")
    page.fill("input[name=title]", "Жалоба с отметкой о регистрации")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "жалоба.pdf", "mimeType": "application/pdf", "buffer": scan}],
    )
    page.click("form.stack button[type=submit]")
    assert page.url.endswith("#documents"), page.url
    with page.expect_download() as download:
        page.click("#documents li a >> text=Скачать файл")
    assert download.value.suggested_filename == "жалоба.pdf"
    with open(download.value.path(), "rb") as file:
        assert file.read() == scan


def _feed_url(page) -> str:
    page.goto("/calendars")
    page.click("form[action$='/calendars'] button[type=submit]")
    return page.input_value("#feed-url")


def _sign_out(page) -> None:
    if not page.is_visible("form[action$='/logout'] button"):
        page.click("header summary")  # where the browser folds the menu, it is inside
    page.click("form[action$='/logout'] button")
    page.goto("/cases")
    assert page.url.endswith("/login?next=/cases"), page.url
    assert not [c for c in page.context.cookies() if c["name"] == "remember_token" and c["value"]]


def _only_https_for_the_sites_name(stack: Stack) -> None:
    """Plain http only redirects to https; a name other than the site's gets no TLS at all."""
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"http://localhost:{stack.http_port}/cases", timeout=5)
    redirect.value.close()
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == "https://localhost/cases"
    loose = ssl.create_default_context()
    loose.check_hostname, loose.verify_mode = False, ssl.CERT_NONE
    with (
        socket.create_connection(("127.0.0.1", stack.https_port), timeout=5) as raw,
        pytest.raises(ssl.SSLError),
    ):
        loose.wrap_socket(raw, server_hostname="elsewhere.example")


def test_a_lawyers_session_over_https_through_nginx_and_gunicorn(
    stack: Stack, browser_context
) -> None:
    route = Registry.load(SHIPPED_WORKFLOWS).route("kz_criminal")
    page = browser_context.new_page()

    _sign_in(page, stack.site)
    cookies = {cookie["name"]: cookie for cookie in browser_context.cookies()}
    for name in ("session", "remember_token"):
        assert cookies[name]["secure"] and cookies[name]["httpOnly"], cookies[name]
    headers = _record_registration(page, route, _open_case(page))
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    _upload_and_download(page)

    url = _feed_url(page)
    assert url.startswith(f"{stack.site}/calendars/") and url.endswith(".ics"), url
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = page.request.get(url)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert events and all(str(event["SUMMARY"]).startswith(REFERENCE) for event in events)
    assert SURVIVOR not in feed.text()  # names stay out unless an admin chose otherwise

    _sign_out(page)
    assert page.goto(f"/reset/{RESET_TOKEN}").status == 404
    assert page.request.get(f"{stack.site}/r%65set%2F{RESET_TOKEN}").status == 404
    _only_https_for_the_sites_name(stack)
    # With gunicorn gone nginx answers 502, and its error log names no feed token either.
    stack.gunicorn.stop()
    assert page.request.get(url).status == 502
    assert page.request.get(f"{stack.site}/reset/{RESET_TOKEN}").status == 502
    stack.stop()

    logs = stack.logs()
    assert [name for name, text in logs.items() if token in text or RESET_TOKEN in text] == []
    assert MASKED_RESET.findall(logs["gunicorn.access.log"]) == ["404", "404"]
    assert MASKED_RESET.findall(logs["litigation.access.log"]) == ["404", "404", "502"]
    assert MASKED_FEED.findall(logs["gunicorn.access.log"]) == ["200"]
    assert MASKED_FEED.findall(logs["litigation.access.log"]) == ["200", "502"]
    assert logs["gunicorn.error.log"].count("Booting worker with pid") == 3
