"""What a request may carry: record ids that fit the database, bounded numbers in query
strings and forms, and no NUL bytes. Anything else is a clear 400 or 404, never a 500."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# The largest id the Integer columns hold: 32 bits on PostgreSQL (SQLite would take 64).
MAX_ID = 2**31 - 1
# Pages of 25 rows: far more than any caseload, far less than an overflowing OFFSET.
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: a positive id the database can hold; others do not match (404)."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def int_arg(name: str, default: int | None = None, *, high: int = MAX_ID) -> int | None:
    """A whole number from the query string between 1 and `high`, else `default`."""
    text = request.args.get(name, "")
    if not text.isdigit() or len(text) > 10:
        return default
    value = int(text)
    return value if 1 <= value <= high else default


def page_arg() -> int:
    """The page number asked for (1 when absent or absurd)."""
    return int_arg("page", 1, high=MAX_PAGE) or 1


def page_in(pages: int) -> tuple[int, str | None]:
    """The page asked for among `pages`, and what to tell the reader when it is not one of
    them (a word, zero, a page past the end): then the nearest page is shown."""
    text = request.args.get("page", "").strip()
    if not text:
        return 1, None
    # Digits past any list's end (however many) ask for a page after the last one.
    number = (int(text) if len(text) <= 10 else pages + 1) if text.isdigit() else 0
    if 1 <= number <= pages:
        return number, None
    page = pages if number > pages else 1
    return page, _(
        "There is no page «%(asked)s»: the list has %(pages)d. Showing page %(page)d.",
        asked=text[:20],
        pages=pages,
        page=page,
    )


def record_version(value: Any) -> int | None:
    """The record version a form was loaded with; None if it carried none or nonsense."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or len(text) > 10 or int(text) > MAX_ID:
        return None
    return int(text)


def _has_nul(values: Any) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def init_app(app: Flask) -> None:
    """Bounded ids in every route (call before the blueprints), and no NUL in any input."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def _refuse_nul_bytes() -> None:
        # PostgreSQL cannot store a NUL in text, and no person types one.
        if _has_nul(request.args.values()) or _has_nul(request.form.values()):
            raise BadRequest(_("The request contains a NUL character; remove it and try again."))
