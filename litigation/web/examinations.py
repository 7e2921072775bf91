"""Medical-legal examinations: recorded on a case, listed on the case page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from ..cases.examinations import MAX_FINDINGS, case_examinations, record_examination
from ..errors import InvalidInput
from ..models import Case, ExaminationStatus, ExaminerKind, FindingLevel, MedicalExamination
from .context import today
from .filters import translated
from .forms import options
from .helpers import case_or_404, require_act
from .inputs import int_arg

bp = Blueprint("examinations", __name__, url_prefix="/cases/<int:case_id>/examinations")
FINDING_ROWS = 3

KIND_LABELS = {
    ExaminerKind.INDEPENDENT: _l("Independent"),
    ExaminerKind.STATE: _l("State (official forensic service)"),
}
STATUS_LABELS = {
    ExaminationStatus.DONE: _l("Done"),
    ExaminationStatus.REFUSED: _l("Refused by the authorities"),
    ExaminationStatus.OBSTRUCTED: _l("Obstructed by the authorities"),
}
# The Istanbul Protocol, para. 187, in the words of its official translations.
LEVEL_LABELS = {
    FindingLevel.NOT_CONSISTENT: _l("not consistent with"),
    FindingLevel.CONSISTENT: _l("consistent with"),
    FindingLevel.HIGHLY_CONSISTENT: _l("highly consistent with"),
    FindingLevel.TYPICAL: _l("typical of"),
    FindingLevel.DIAGNOSTIC: _l("diagnostic of"),
}


class FindingForm(Form):
    allegation = StringField(_l("Allegation"), validators=[Optional(), Length(max=500)])
    level = SelectField(
        _l("Istanbul Protocol level"),
        choices=options([("", "—"), *((k.value, v) for k, v in LEVEL_LABELS.items())]),
        validators=[Optional()],
    )


class ExaminationForm(FlaskForm):
    examined_on = DateField(_l("Date of the examination (or of the refusal)"), [InputRequired()])
    status = SelectField(
        _l("Outcome"), choices=options((k.value, v) for k, v in STATUS_LABELS.items())
    )
    status_note = TextAreaField(
        _l("What the authorities did (who refused or obstructed, how)"),
        validators=[Optional(), Length(max=5000)],
    )
    examiner_name = StringField(_l("Examiner"), validators=[Optional(), Length(max=200)])
    examiner_kind = SelectField(
        _l("Examiner is"), choices=options((k.value, v) for k, v in KIND_LABELS.items())
    )
    # No max_entries: WTForms would drop the extra rows silently; the operation refuses them.
    findings = FieldList(FormField(FindingForm), min_entries=FINDING_ROWS)
    psychological_done = BooleanField(_l("Psychological evaluation done"))
    psychological_evaluation = TextAreaField(
        _l("Psychological evaluation"), validators=[Optional(), Length(max=5000)]
    )


@bp.app_template_global()
def examinations_of(case: Case) -> list[MedicalExamination]:
    """The examinations the case page lists, latest first."""
    return case_examinations(case)


@bp.app_template_global()
def examination_word(value: str) -> str:
    """An examiner kind, outcome or finding level in the reader's language."""
    for labels in (KIND_LABELS, STATUS_LABELS, LEVEL_LABELS):
        if value in labels:
            return str(labels[value])
    return value


def _show_errors(form: ExaminationForm, error: InvalidInput) -> None:
    for name, message in error.errors.items():
        parts = name.split("-")
        if len(parts) == 3 and parts[0] == "findings" and parts[1].isdigit():
            target = form.findings[int(parts[1])][parts[2]]
        else:
            target = form._fields.get(name, form.examined_on)
        target.errors = [*target.errors, translated(message)]


@bp.route("/new", methods=["GET", "POST"])
def new(case_id: int):
    case = case_or_404(case_id)
    require_act(case)
    form = ExaminationForm(examined_on=today())
    while not form.is_submitted() and len(form.findings) < (
        int_arg("rows", high=MAX_FINDINGS) or 0
    ):
        form.findings.append_entry()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("examinations/new.html", form=form, case=case), status
    details = {
        name: form[name].data for name in form.data if name not in ("findings", "csrf_token")
    }
    findings = [(row.allegation.data, row.level.data) for row in form.findings]
    try:
        record_examination(case, details, findings, actor=current_user)
    except InvalidInput as error:
        _show_errors(form, error)
        return render_template("examinations/new.html", form=form, case=case), 400
    flash(_("Examination recorded."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="examinations"))
