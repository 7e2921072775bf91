"""What a request reads once and hands on: today's date and the reader's language."""

from __future__ import annotations

import datetime as dt

from flask import current_app, g


def today() -> dt.date:
    """Today's date at the web edge (tests pin it with the TODAY setting)."""
    if "today" not in g:
        g.today = current_app.config.get("TODAY") or dt.date.today()
    return g.today


def lang() -> str:
    """The reader's language, chosen once per request (see web.select_locale)."""
    return getattr(g, "lang", None) or current_app.config["LANGUAGES"][0]
