"""Error pages, and JSON errors with a message for the API."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..errors import DomainError


def _page_message(code: int | None) -> str:
    """A short explanation in the reader's language for the common error pages."""
    return {
        400: _("The request could not be understood. Go back and check what you entered."),
        403: _("You do not have permission to do this."),
        404: _("There is nothing here, or you may not see it."),
        405: _("This address does not accept that kind of request."),
        409: _("This conflicts with a change made in the meantime. Reload and try again."),
        413: _("What you sent is too large."),
        429: _("Too many requests. Wait a moment and try again."),
    }.get(code or 500, _("Something went wrong on the server. Your data is safe; try again."))


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        message = _(
            "The form expired or did not come from this site. Reload the page and try again."
        )
        if _wants_json():
            return {"error": message}, 400
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if _wants_json():
            return {"error": error.description or error.name}, error.code
        return render_template(
            "error.html", code=error.code, message=_page_message(error.code)
        ), error.code

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        if _wants_json():
            return {"error": error.message, **getattr(error, "__dict__", {})}, error.status
        return render_template("error.html", code=error.status, message=error.message), error.status
