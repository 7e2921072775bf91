"""One transaction per request, as indico's RH.process: the view runs, then the request
commits once if it succeeded and rolls back otherwise. Views and operations never commit.

A response of 400 or more is a failure: whatever the operation flushed before it was refused
(a half-opened case, a refused step) is rolled back. Errors raised by the view or by the
commit itself reach the error handlers (web/errors.py), which map them to pages in one place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..db import db
from ..errors import Conflict


def in_one_transaction(view: Callable[..., Any]) -> Callable[..., Response]:
    """Wrap a view: commit after a successful response, roll back after anything else."""

    @functools.wraps(view)
    def run(**kwargs: Any) -> Response:
        try:
            response = current_app.make_response(view(**kwargs))
        except BaseException:
            db.session.rollback()
            raise
        if response.status_code >= 400 or g.get("refused"):
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except (StaleDataError, IntegrityError) as error:
            db.session.rollback()
            raise Conflict() from error
        return response

    return run


def refuse_this_request() -> None:
    """Roll back at the end of a request that reports its failure without an error status
    (a refused form on another page, shown as a message after a redirect)."""
    g.refused = True


def init_app(app: Flask) -> None:
    """Wrap every view of the app (call after the blueprints are registered)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = in_one_transaction(view)
