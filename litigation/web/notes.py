"""Editing a note in a case's history: the form, and the operation that adds a new version.

The event is never rewritten (cases/notes.py); the page shows the note as it reads now and
keeps every earlier version folded beneath it.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from ..cases.notes import MAX_NOTE, edit_note, note_editable
from ..errors import InvalidInput
from ..workflows.engine import OVERRIDE
from .confirmation import Confirmation, show_at_proceeding
from .forms import show_domain_errors
from .helpers import case_or_404, event_or_404, require_act
from .inputs import record_version

bp = Blueprint("notes", __name__, url_prefix="/cases")


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE)])
    versions = HiddenField()  # how many edits the editor saw: a colleague's edit is not lost


@bp.route("/<int:case_id>/events/<int:event_id>/note", methods=["GET", "POST"])
def edit(case_id: int, event_id: int):
    case = case_or_404(case_id)
    event = event_or_404(case, event_id)
    require_act(case)
    if not note_editable(event) or event.trigger == OVERRIDE:
        abort(404)  # a system entry, or an override whose reason is the deadline's own
    form = NoteForm()
    if request.method == "GET":
        form.note.data = event.current_note
        form.versions.data = str(len(event.note_revisions))
    context = {"case": case, "event": event, "form": form}
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("cases/note.html", **context), status
    try:
        edit_note(
            event,
            actor=current_user,
            note=form.note.data,
            expected_versions=record_version(form.versions.data),
        )
    except InvalidInput as error:
        context["loose_errors"] = show_domain_errors(form, error, "note")
        return render_template("cases/note.html", **context), 400
    done = Confirmation(
        event.proceeding_id,
        _("Note saved; the earlier version is kept in the history."),
        event_id=event.id,
    )
    return show_at_proceeding(done, case.id)
