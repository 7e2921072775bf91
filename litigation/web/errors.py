"""Error pages, and JSON errors with a message for the API."""

from __future__ import annotations

from flask import Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..errors import Conflict, DomainError, InvalidInput, StaleProceeding, StepUnavailable
from .filters import error_text

# Refused because the case changed under the user: say so on the case page they came from.
BACK_TO_THE_CASE = (Conflict, StaleProceeding, StepUnavailable)


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
    }.get(
        code or 500,
        # Not "your data is safe": this page cannot know what was saved before the error.
        _(
            "Something went wrong on the server. What you asked for may not have been done: "
            "open the page again to see what was saved before you repeat it."
        ),
    )


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
        """Every domain error a view lets through, as a message and a status code."""
        if _wants_json():
            body = {"error": str(error.message)}
            if isinstance(error, InvalidInput):
                body["fields"] = error.plain_errors()
            return body, error.status
        message = error_text(error)
        case_id = (request.view_args or {}).get("case_id")
        if isinstance(error, BACK_TO_THE_CASE) and case_id and request.method == "POST":
            flash(message, "error")
            return redirect(url_for("cases.show", case_id=case_id), 303)
        return render_template("error.html", code=error.status, message=message), error.status
