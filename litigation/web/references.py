"""The reference the new-case form suggests: filled in for the jurisdiction and year, and
refreshed when left as suggested but no longer fitting (JavaScript, reference.js, follows a
change of jurisdiction at once; without it the server does when the form is sent)."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _

from ..cases.references import suggest_reference as next_free
from .context import today
from .forms import JURISDICTION_CODES, NewCaseForm


def suggestion(jurisdiction: str, year: int) -> str:
    """The next free reference for the jurisdiction and year, in the configured pattern."""
    return next_free(jurisdiction, year, current_app.config["REFERENCE_PATTERN"])


def suggest_reference(form: NewCaseForm) -> None:
    """Fill in the next free reference for the jurisdiction asked for (Kazakhstan unless
    ?jurisdiction=TJ) and this year; the form remembers what it suggested."""
    jurisdiction = request.args.get("jurisdiction")
    form.jurisdiction.data = jurisdiction if jurisdiction in JURISDICTION_CODES else "KZ"
    suggested = suggestion(form.jurisdiction.data, today().year)
    form.reference.data = form.suggested_reference.data = suggested


def suggestion_moved(form: NewCaseForm) -> bool:
    """Whether the reference was left as suggested but no longer fits: another jurisdiction
    or year was chosen (without JavaScript the page cannot follow), or another case took it.
    Then the fresh suggestion is filled in, with a word beside the field."""
    typed = (form.reference.data or "").strip()
    if not typed or typed != form.suggested_reference.data:
        return False
    fresh = suggestion(form.jurisdiction.data, form.opened_on.data.year)
    if not fresh or fresh == typed:
        return False
    form.reference.data = form.suggested_reference.data = fresh
    form.reference.errors = [
        _(
            "%(old)s was suggested for another jurisdiction or year, or another case took it "
            "meanwhile. The next free reference, %(new)s, is filled in: check it and open the "
            "case again.",
            old=typed,
            new=fresh,
        )
    ]
    return True
