"""Documents and evidence on a case: upload, the document's page with its versions, replace,
remove softly, download (audited). Words and choices: web/document_words.py."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from ..cases.access import can_act
from ..db import db
from ..documents import (
    TYPES,
    CannotDecrypt,
    KeysUnavailable,
    StaleDocument,
    StoredFileMissing,
    document_problems,
    download_name,
    open_version,
    remove_document,
    replace_document,
    upload_document,
    vault_of,
)
from ..errors import InvalidInput
from ..models import Case, Document, DocumentVersion
from .document_words import (
    KIND_CHOICES,
    content_disposition,
    document_kind,
    documents_of,
    file_size,
    tie_choices,
    tie_label,
    type_name,
)
from .filters import error_text
from .forms import show_domain_errors
from .helpers import case_or_404, require_act
from .inputs import record_version
from .uploads import upload_of

bp = Blueprint("documents", __name__, url_prefix="/cases/<int:case_id>/documents")
SERVER_SIDE = (CannotDecrypt, StoredFileMissing, KeysUnavailable)
for _global in (documents_of, document_kind, file_size, tie_label, type_name):
    bp.add_app_template_global(_global)


class DocumentForm(FlaskForm):
    title = StringField(_l("Title"))
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    description = TextAreaField(_l("Description (optional)"))
    tie = SelectField(_l("Proof of (optional)"))
    file = FileField(_l("File"))


class ReplaceForm(FlaskForm):
    file = FileField(_l("New version of the file"))
    number = HiddenField()


class RemoveForm(FlaskForm):
    reason = TextAreaField(_l("Why is it removed?"))
    version = HiddenField()


def _vault():
    return vault_of(current_app)


def _document_or_404(case: Case, document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or document.case_id != case.id:
        abort(404)
    return document


def _details(form: DocumentForm) -> dict:
    kind, _sep, number = (form.tie.data or "").partition(":")
    tie = record_version(number)  # a whole number an id column can hold, or None
    return {
        "title": form.title.data,
        "kind": form.kind.data,
        "description": form.description.data,
        "event_id": tie if kind == "event" else None,
        "deadline_id": tie if kind == "deadline" else None,
    }


def _other_problems(form: DocumentForm, case: Case) -> None:
    """When the form itself is refused, say what else is wrong too (the file above all: it
    must be chosen again, so every problem should be known before the next try)."""
    problems = document_problems(case, _details(form), upload_of(form.file.data), _vault())
    rest = {
        name: text for name, text in problems.items() if not getattr(form, name, form.file).errors
    }
    show_domain_errors(form, InvalidInput(rest), "file")


def _upload_page(form: DocumentForm, case: Case, status: int = 200):
    limit = _vault().max_bytes
    return render_template("documents/new.html", form=form, case=case, limit=limit), status


@bp.route("/new", methods=["GET", "POST"])
def new(case_id: int):
    case = case_or_404(case_id)
    require_act(case)
    form = DocumentForm()
    form.tie.choices = tie_choices(case)
    if request.method == "GET":
        wanted = request.args.get("tie", "")
        form.tie.data = wanted if wanted in {c.value for c in form.tie.choices} else ""
    if not form.validate_on_submit():
        if form.is_submitted():
            _other_problems(form, case)
        return _upload_page(form, case, 400 if form.is_submitted() else 200)
    try:
        document = upload_document(
            case, _details(form), upload_of(form.file.data), actor=current_user, vault=_vault()
        )
    except InvalidInput as error:
        for message in show_domain_errors(form, error, "file"):
            flash(message, "error")
        return _upload_page(form, case, 400)
    flash(_("Document saved, encrypted: %(title)s.", title=document.title), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="documents"))


def _document_page(
    case: Case,
    document: Document,
    *,
    remove: RemoveForm | None = None,
    replace: ReplaceForm | None = None,
    status: int = 200,
):
    versions = sorted(document.versions, key=lambda v: v.number, reverse=True)
    remove = remove or RemoveForm(version=str(document.version))
    replace = replace or ReplaceForm(number=str(document.current_number))
    return render_template(
        "documents/show.html",
        case=case,
        document=document,
        versions=versions,
        may_act=can_act(current_user, case),
        remove=remove,
        replace=replace,
        limit=_vault().max_bytes,
    ), status


@bp.route("/<int:document_id>")
def show(case_id: int, document_id: int):
    case = case_or_404(case_id)
    return _document_page(case, _document_or_404(case, document_id))


@bp.route("/<int:document_id>/replace", methods=["GET", "POST"])
def replace(case_id: int, document_id: int):
    case = case_or_404(case_id)
    require_act(case)
    document = _document_or_404(case, document_id)
    if request.method == "GET":  # the form is on the document's page
        return redirect(url_for(".show", case_id=case_id, document_id=document_id))
    form = ReplaceForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = replace_document(
            document,
            upload_of(form.file.data),
            expected_number=record_version(form.number.data),
            actor=current_user,
            vault=_vault(),
        )
    except StaleDocument as error:
        return _stale(case_id, document_id, error)
    except InvalidInput as error:
        show_domain_errors(form, error, "file")
        return _document_page(case, document, replace=form, status=400)
    flash(
        _("Version %(number)d saved; the earlier ones are kept.", number=version.number),
        "success",
    )
    return redirect(url_for(".show", case_id=case_id, document_id=document_id))


@bp.route("/<int:document_id>/remove", methods=["POST"])
def remove(case_id: int, document_id: int):
    case = case_or_404(case_id)
    require_act(case)
    document = _document_or_404(case, document_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        remove_document(
            document,
            form.reason.data,
            expected_version=record_version(form.version.data),
            actor=current_user,
        )
    except StaleDocument as error:
        return _stale(case_id, document_id, error)
    except InvalidInput as error:
        show_domain_errors(form, error, "reason")
        return _document_page(case, document, remove=form, status=400)
    flash(_("Document removed from the list; its files and versions are kept."), "success")
    return redirect(url_for("cases.show", case_id=case_id, _anchor="documents"))


def _stale(case_id: int, document_id: int, error: StaleDocument):
    """Someone replaced or removed it first: show the document as it is now."""
    db.session.rollback()
    case = case_or_404(case_id)
    flash(error_text(error), "error")
    return _document_page(case, _document_or_404(case, document_id), status=409)


@bp.route("/<int:document_id>/versions/<int:number>")
def download(case_id: int, document_id: int, number: int):
    case = case_or_404(case_id)
    document = _document_or_404(case, document_id)
    version = db.session.scalar(
        db.select(DocumentVersion).where(
            DocumentVersion.document_id == document.id, DocumentVersion.number == number
        )
    )
    if version is None:
        abort(404)
    try:
        data = open_version(version, actor=current_user, vault=_vault())
    except SERVER_SIDE as error:
        # Ids and the reason only: never the file's name or a byte of it.
        current_app.logger.error(
            "document %s version %s cannot be served: %s", document.id, number, error.reason
        )
        raise
    response = Response(data, mimetype=version.media_type)
    name = download_name(version.file_name, TYPES[version.media_type])
    response.headers["Content-Disposition"] = content_disposition(name, document.id, number)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Were a browser to show it anyway, it could run nothing and reach nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
