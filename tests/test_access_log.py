"""gunicorn's access log masks a calendar feed's token: the address is the feed's only key."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask, url_for
from gunicorn.config import Config

from litigation.access_log import MaskingLogger, mask_feed_tokens, mask_tokens

TOKEN = secrets.token_urlsafe(32)


@pytest.mark.parametrize(
    ("logged", "masked"),
    [
        (f"/calendars/{TOKEN}.ics", "/calendars/***.ics"),
        (f"GET /calendars/{TOKEN}.ics?x=1 HTTP/1.1", "GET /calendars/***.ics?x=1 HTTP/1.1"),
        (f"https://h.example/calendars/{TOKEN}.ics", "https://h.example/calendars/***.ics"),
        # The router decodes these to the same feed, so they are masked too.
        (f"/c%61lendars/{TOKEN}%2Eics", "/c%61lendars/***%2Eics"),
        (f"//calendars/{TOKEN}.ICS", "//calendars/***.ICS"),
        (f"/calendars/%41{TOKEN}.ics", "/calendars/***.ics"),
        # A deadline's own file is an id behind sign-in, not a key.
        ("/calendars/deadline/12.ics", "/calendars/deadline/12.ics"),
        ("/calendars/12/rotate", "/calendars/12/rotate"),
        ("/cases/3", "/cases/3"),
    ],
)
def test_feed_tokens_are_masked_and_nothing_else(logged: str, masked: str) -> None:
    assert mask_feed_tokens(logged) == masked


def test_the_address_the_app_gives_out_is_masked(mini_app: Flask) -> None:
    with mini_app.test_request_context(base_url="https://litigation.example.org"):
        url = url_for("feeds.feed", token=TOKEN, _external=True)

    assert TOKEN in url
    assert mask_feed_tokens(url) == "https://litigation.example.org/calendars/***.ics"


def test_gunicorns_access_line_never_holds_the_token(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log))
    config.set("access_log_format", '"%(r)s" %(s)s %(U)s "%(f)s" %({raw_uri}e)s')
    logger = MaskingLogger(config)
    path = f"/calendars/{TOKEN}.ics"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://h.example{path}",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("Referer", environ["HTTP_REFERER"])])

    logger.access(response, request, environ, dt.timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.close()

    line = log.read_text()
    assert TOKEN not in line
    assert line.strip() == (
        '"GET /calendars/***.ics HTTP/1.1" 200 /calendars/***.ics '
        '"https://h.example/calendars/***.ics" /calendars/***.ics'
    )


@pytest.mark.parametrize(
    ("logged", "masked"),
    [
        (f"/reset/{TOKEN}", "/reset/***"),
        (f"GET /reset/{TOKEN}?x=1 HTTP/1.1", "GET /reset/***?x=1 HTTP/1.1"),
        (f"https://h.example/reset/{TOKEN}", "https://h.example/reset/***"),
        # The router decodes these to the same link, so they are masked too.
        (f"/r%65set/{TOKEN}", "/r%65set/***"),
        (f"/reset%2F{TOKEN}", "/reset%2F***"),
        (f"/%72%65%73%65%74%2f{TOKEN}", "/%72%65%73%65%74%2f***"),
        (f"//reset/{TOKEN}#top", "//reset/***#top"),
        (f"/login?next=/reset/{TOKEN}&a=1", "/login?next=/reset/***&a=1"),
        # The form the link leads to, and the admin's pages, hold no token.
        ("/reset", "/reset"),
        ("/admin/users/3/reset-link", "/admin/users/3/reset-link"),
        ("/admin/users/3/two-factor/reset", "/admin/users/3/two-factor/reset"),
    ],
)
def test_password_link_tokens_are_masked_and_nothing_else(logged: str, masked: str) -> None:
    assert mask_tokens(logged) == masked


def test_the_password_link_the_app_gives_out_is_masked(mini_app: Flask) -> None:
    with mini_app.test_request_context(base_url="https://litigation.example.org"):
        url = url_for("password_reset.open_link", token=TOKEN, _external=True)

    assert TOKEN in url
    assert mask_tokens(url) == "https://litigation.example.org/reset/***"


def test_gunicorns_access_line_never_holds_a_password_link(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log))
    config.set("access_log_format", '"%(r)s" %(s)s %(U)s "%(f)s"')
    logger = MaskingLogger(config)
    path = f"/r%65set/{TOKEN}"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": f"/reset/{TOKEN}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://h.example/reset/{TOKEN}",
    }
    response = SimpleNamespace(status="303 SEE OTHER", sent=0, headers=[])
    request = SimpleNamespace(headers=[("Referer", environ["HTTP_REFERER"])])

    logger.access(response, request, environ, dt.timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.close()

    line = log.read_text()
    assert TOKEN not in line
    assert (
        line.strip() == '"GET /r%65set/*** HTTP/1.1" 303 /reset/*** "https://h.example/reset/***"'
    )
