"""Documents on a case through the web: uploaded and listed, downloaded byte for byte (and on
the audit trail, without the file's name), replaced with the earlier version kept, removed
softly with a reason, and refused with a message beside the field (keeping what was typed,
saving nothing) when the file is disguised, empty or too large. Staff read, strangers get
404, and the trail never holds a title or a file name."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from litigation.cases import fire
from litigation.db import db
from litigation.models import (
    AuditKind,
    Deadline,
    Document,
    DocumentBlob,
    DocumentVersion,
    Event,
    Role,
)

from ..conftest import MINIMAL_WORKFLOWS, TODAY, csrf_token, post_form, sign_in
from ..documents.samples import ACCEPTED, EXE_BYTES, PDF_BYTES, PNG_BYTES, TXT_BYTES
from .casework import trail

pytestmark = pytest.mark.usefixtures("english_browser")

D = dt.date
REPORTED = {"reported_on": D(2026, 1, 12)}
NAME = "Жалоба Ахметовой.pdf"  # a file name may carry the survivor's name
TITLE = "Complaint to the prosecutor, filing stamp"


def send_files(client, url: str, form: dict, form_url: str | None = None):
    """POST a multipart form as a browser does, its CSRF token read first. Encoded here in
    memory: Werkzeug's test client spools large bodies to a file it never closes."""
    fields = {**form, "csrf_token": csrf_token(client, form_url or url)}
    boundary, body = encode_multipart(MultiDict(fields))
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def upload(client, case, data=PDF_BYTES, name=NAME, **fields):
    form = {"title": TITLE, "kind": "complaint", "description": "", "tie": "", **fields}
    form["file"] = FileStorage(io.BytesIO(data), name)
    return send_files(client, f"/cases/{case.id}/documents/new", form)


def documents(case) -> list[Document]:
    db.session.expire_all()
    query = db.select(Document).where(Document.case_id == case.id).order_by(Document.id)
    return list(db.session.scalars(query))


def replace(client, document, data, name="v2.pdf", number=None):
    url = f"/cases/{document.case_id}/documents/{document.id}"
    form = {"number": str(number or document.current_number)}
    form["file"] = FileStorage(io.BytesIO(data), name)
    return send_files(client, f"{url}/replace", form, form_url=url)


def test_an_upload_is_listed_on_the_case_page_and_on_the_trail(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    response = upload(mini_client, case)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.id}#documents")
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    section = page.split('id="documents"')[1].split("</section>")[0]
    assert TITLE in section and "PDF" in section and f"{len(PDF_BYTES)} bytes" in section
    assert lawyer.name in section
    [document] = documents(case)
    [version] = document.versions
    assert (version.number, version.file_name, version.media_type) == (1, NAME, "application/pdf")
    assert version.size == len(PDF_BYTES) and version.uploaded_by_id == lawyer.id
    [entry] = trail(case, AuditKind.DOCUMENT_UPLOADED)
    assert entry.actor_id == lawyer.id
    assert entry.details == {
        "document": document.id,
        "kind": "complaint",
        "version": 1,
        "size": len(PDF_BYTES),
        "type": "application/pdf",
    }


def test_a_download_gives_the_same_bytes_and_is_audited(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    response = mini_client.get(f"/cases/{case.id}/documents/{document.id}/versions/1")
    assert response.status_code == 200
    assert response.data == PDF_BYTES
    assert response.headers["Content-Type"] == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="document-')
    assert f"filename*=UTF-8''{quote(NAME)}" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    [entry] = trail(case, AuditKind.DOCUMENT_DOWNLOADED)
    assert entry.actor_id == lawyer.id
    assert entry.details["document"] == document.id and entry.details["version"] == 1
    assert "Ахметов" not in str(entry.details) and TITLE not in str(entry.details)


@pytest.mark.parametrize(("name", "data", "media_type"), ACCEPTED)
def test_each_accepted_type_is_recognised_by_its_content(
    mini_client, lawyer, case, name, data, media_type
):
    sign_in(mini_client, lawyer)
    assert upload(mini_client, case, data=data, name=name).status_code == 302
    [document] = documents(case)
    assert document.current.media_type == media_type
    response = mini_client.get(f"/cases/{case.id}/documents/{document.id}/versions/1")
    assert response.data == data and response.mimetype == media_type


def test_a_png_named_pdf_is_kept_as_a_png_and_downloads_as_one(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    upload(mini_client, case, data=PNG_BYTES, name="scan.pdf")
    [document] = documents(case)
    assert document.current.media_type == "image/png"
    response = mini_client.get(f"/cases/{case.id}/documents/{document.id}/versions/1")
    assert response.mimetype == "image/png"
    assert 'filename="scan.png"' in response.headers["Content-Disposition"]


def test_a_text_file_is_sent_as_plain_utf8_text(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    upload(mini_client, case, data=TXT_BYTES, name="page.html")
    [document] = documents(case)
    response = mini_client.get(f"/cases/{case.id}/documents/{document.id}/versions/1")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert 'filename="page.txt"' in response.headers["Content-Disposition"]


def _nothing_saved(case) -> None:
    assert documents(case) == []
    assert db.session.scalars(db.select(DocumentBlob)).all() == []
    assert trail(case, AuditKind.DOCUMENT_UPLOADED) == []


def _error_beside(page: str, field: str, message: str) -> None:
    assert message in page
    assert f'id="{field}"' in page.split(message)[0].rsplit('<div class="field', 1)[1]


def test_a_disguised_program_is_refused_keeping_what_was_typed(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    response = upload(
        mini_client, case, data=EXE_BYTES, name="complaint.pdf", description="Stamped 12 March"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    _error_beside(page, "file", "This file is not one of the accepted types: PDF, JPEG, PNG")
    assert f'value="{TITLE}"' in page and "Stamped 12 March" in page
    assert "choose it again" in page
    _nothing_saved(case)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.pdf", "This file is empty: choose another."),
        (b"", "", "Choose a file."),
    ],
)
def test_an_empty_or_missing_file_is_refused(mini_client, lawyer, case, data, name, message):
    sign_in(mini_client, lawyer)
    response = upload(mini_client, case, data=data, name=name)
    assert response.status_code == 400
    _error_beside(response.get_data(as_text=True), "file", message)
    _nothing_saved(case)


def test_every_problem_is_shown_at_once(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    response = upload(mini_client, case, data=EXE_BYTES, title="", kind="party")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not a valid choice." in page and "This file is not one of the accepted" in page
    assert "Give the document a title" in page
    _nothing_saved(case)


def test_a_missing_title_is_refused_beside_its_field(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    response = upload(mini_client, case, title="  ")
    assert response.status_code == 400
    _error_beside(response.get_data(as_text=True), "title", "Give the document a title")
    _nothing_saved(case)


@pytest.fixture
def one_megabyte(app_for):
    """An app whose files may be at most 1 MB (bodies up to 3 MB are read)."""
    return app_for(MINIMAL_WORKFLOWS, settings={"DOCUMENTS_MAX_MB": 1})


def test_a_file_over_the_limit_is_refused_beside_the_field(one_megabyte, lawyer, case):
    client = one_megabyte.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, lawyer)
    response = upload(client, case, data=b"%PDF-" + bytes(1024 * 1024 + 100))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    _error_beside(page, "file", "This file is 1.0 MB; a file may be at most 1 MB.")
    assert f'value="{TITLE}"' in page
    _nothing_saved(case)


def test_a_body_far_over_the_limit_gets_a_page_that_says_what_to_do(one_megabyte, lawyer, case):
    client = one_megabyte.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, lawyer)
    response = upload(client, case, data=b"%PDF-" + bytes(4 * 1024 * 1024))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "A file may be at most 1 MB" in page and "Nothing was saved." in page
    assert f'href="/cases/{case.id}/documents/new"' in page
    assert "Traceback" not in page
    _nothing_saved(case)


def test_other_forms_keep_the_small_body_limit(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    token = csrf_token(mini_client, f"/cases/{case.id}/hearings/new")
    big = {"csrf_token": token, "notes": "x" * (3 * 1024 * 1024)}
    response = mini_client.post(f"/cases/{case.id}/hearings/new", data=big)
    assert response.status_code == 413
    assert "What you sent is too large." in response.get_data(as_text=True)


def test_replacing_keeps_the_earlier_version_downloadable(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    response = replace(mini_client, document, TXT_BYTES, name="corrected.txt")
    assert response.status_code == 302
    [document] = documents(case)
    assert document.current_number == 2
    assert [v.number for v in document.versions] == [1, 2]
    base = f"/cases/{case.id}/documents/{document.id}/versions"
    assert mini_client.get(f"{base}/1").data == PDF_BYTES
    assert mini_client.get(f"{base}/2").data == TXT_BYTES
    page = mini_client.get(f"/cases/{case.id}/documents/{document.id}").get_data(as_text=True)
    assert NAME in page and "corrected.txt" in page and "current" in page
    [entry] = trail(case, AuditKind.DOCUMENT_REPLACED)
    assert entry.details["version"] == 2 and entry.details["type"] == "text/plain"


def test_a_replacement_on_a_stale_page_is_refused(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    replace(mini_client, document, TXT_BYTES)
    stale = replace(mini_client, document, PNG_BYTES, number=1)
    assert stale.status_code == 409
    assert "Someone else replaced or removed this document" in stale.get_data(as_text=True)
    [document] = documents(case)
    assert [v.number for v in document.versions] == [1, 2]


def test_a_disguised_replacement_is_refused_on_the_document_page(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    response = replace(mini_client, document, EXE_BYTES)
    assert response.status_code == 400
    assert "This file is not one of the accepted types" in response.get_data(as_text=True)
    assert [v.number for v in documents(case)[0].versions] == [1]


def _remove(client, document, reason: str):
    url = f"/cases/{document.case_id}/documents/{document.id}"
    data = {"reason": reason, "version": str(document.version)}
    return post_form(client, f"{url}/remove", data, form_url=url)


def test_removing_keeps_the_row_and_its_files(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    assert _remove(mini_client, document, "Uploaded to the wrong case").status_code == 302
    [document] = documents(case)
    assert document.removed_at is not None and document.removed_by_id == lawyer.id
    assert document.removed_reason == "Uploaded to the wrong case"
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    section = page.split('id="documents"')[1].split("</section>")[0]
    assert "No documents yet." in section and "1 removed document" in section
    url = f"/cases/{case.id}/documents/{document.id}"
    assert "Uploaded to the wrong case" in mini_client.get(url).get_data(as_text=True)
    assert mini_client.get(f"{url}/versions/1").data == PDF_BYTES
    [entry] = trail(case, AuditKind.DOCUMENT_REMOVED)
    assert entry.details == {"document": document.id, "kind": "complaint"}


def test_removing_needs_a_reason(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    response = _remove(mini_client, document, " ")
    assert response.status_code == 400
    _error_beside(response.get_data(as_text=True), "reason", "Say why the document is removed.")
    assert documents(case)[0].removed_at is None


def test_a_document_proves_a_step_or_a_deadline_shown_beside_them(mini_client, lawyer, case):
    event = db.session.scalars(db.select(Event)).first()
    sign_in(mini_client, lawyer)
    form = mini_client.get(f"/cases/{case.id}/documents/new").get_data(as_text=True)
    assert f'value="event:{event.id}"' in form and "Route opened" in form
    assert upload(mini_client, case, tie=f"event:{event.id}").status_code == 302
    [document] = documents(case)
    assert document.event_id == event.id and document.deadline_id is None
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    history = page.split('id="history-')[1]
    assert TITLE in history


def test_a_deadline_row_offers_to_attach_its_proof(mini_client, mini_registry, lawyer, case):
    facts = {"decided_on": D(2026, 3, 5), "learned_on": D(2026, 3, 10), "outcome": "refused"}
    [proceeding] = case.proceedings
    fire(
        mini_registry, proceeding, "decide", actor=None, occurred_on=None, today=TODAY, facts=facts
    )
    db.session.commit()
    deadline = db.session.scalars(db.select(Deadline)).first()
    sign_in(mini_client, lawyer)
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    link = f"/cases/{case.id}/documents/new?tie=deadline:{deadline.id}"
    assert link.replace(":", "%3A") in page or link in page
    form = mini_client.get(link).get_data(as_text=True)
    assert f'selected value="deadline:{deadline.id}"' in form or (
        f'value="deadline:{deadline.id}" selected' in form
    )
    upload(mini_client, case, tie=f"deadline:{deadline.id}")
    [document] = documents(case)
    assert document.deadline_id == deadline.id
    page = mini_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert TITLE in page.split('class="list deadlines"')[1].split("</table>")[0]


def test_a_step_of_another_case_cannot_be_chosen(
    mini_client, mini_registry, create_case, lawyer, case
):
    other, _ = create_case(mini_registry, "domestic", team=[lawyer], facts=REPORTED)
    foreign = db.session.scalars(
        db.select(Event).join(Event.proceeding).where(Event.proceeding.has(case_id=other.id))
    ).first()
    sign_in(mini_client, lawyer)
    response = upload(mini_client, case, tie=f"event:{foreign.id}")
    assert response.status_code == 400
    assert "Not a valid choice." in response.get_data(as_text=True)
    _nothing_saved(case)


def test_staff_may_download_but_not_upload_replace_or_remove(
    mini_client, mini_app, create_user_, lawyer, case
):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    staff = create_user_(Role.STAFF, language="en")
    case.team.append(staff)
    db.session.commit()
    reader = mini_app.test_client()
    sign_in(reader, staff)
    page = reader.get(f"/cases/{case.id}").get_data(as_text=True)
    assert TITLE in page and "Add a document" not in page
    url = f"/cases/{case.id}/documents/{document.id}"
    assert reader.get(f"{url}/versions/1").data == PDF_BYTES
    assert "Replace with a new version" not in reader.get(url).get_data(as_text=True)
    assert reader.get(f"/cases/{case.id}/documents/new").status_code == 403
    attempt = {"number": "1", "file": FileStorage(io.BytesIO(PNG_BYTES), "x.png")}
    assert send_files(reader, f"{url}/replace", attempt, form_url=url).status_code == 403
    removal = {"reason": "no", "version": "1"}
    assert post_form(reader, f"{url}/remove", removal, form_url=url).status_code == 403
    assert len(documents(case)[0].versions) == 1 and documents(case)[0].removed_at is None


def test_someone_who_cannot_see_the_case_gets_404(mini_client, create_user_, lawyer, case):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    stranger = mini_client.application.test_client()
    sign_in(stranger, create_user_(Role.LAWYER, language="en"))
    url = f"/cases/{case.id}/documents"
    for path in (f"{url}/new", f"{url}/{document.id}", f"{url}/{document.id}/versions/1"):
        assert stranger.get(path).status_code == 404, path
    data = {"title": "x", "kind": "other", "file": FileStorage(io.BytesIO(b"x"), "x")}
    assert send_files(stranger, f"{url}/new", data, form_url="/cases/new").status_code == 404
    assert trail(case, AuditKind.DOCUMENT_DOWNLOADED) == []


def test_a_document_of_another_case_is_not_found_under_this_one(
    mini_client, mini_registry, create_case, lawyer, case
):
    other, _ = create_case(mini_registry, "domestic", team=[lawyer], facts=REPORTED)
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    assert mini_client.get(f"/cases/{other.id}/documents/{document.id}").status_code == 404
    path = f"/cases/{other.id}/documents/{document.id}/versions/1"
    assert mini_client.get(path).status_code == 404
    missing = f"/cases/{case.id}/documents/{document.id}/versions/2"
    assert mini_client.get(missing).status_code == 404


def test_the_audit_trail_names_ids_sizes_and_types_never_titles_or_file_names(
    mini_client, mini_app, create_user_, lawyer, case
):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    mini_client.get(f"/cases/{case.id}/documents/{document.id}/versions/1")
    reader = mini_app.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(reader, create_user_(Role.ADMIN, language="en"))
    page = reader.get("/admin/audit").get_data(as_text=True)
    assert "Document uploaded" in page and "Document downloaded" in page
    assert f"document #{document.id}; Complaint or application" in page
    assert "version 1" in page and "PDF" in page
    assert "Ахметов" not in page and TITLE not in page


def test_a_stored_version_is_neither_the_file_nor_contains_it(mini_client, lawyer, case):
    sign_in(mini_client, lawyer)
    upload(mini_client, case, data=TXT_BYTES, name="notes.txt")
    [blob] = db.session.scalars(db.select(DocumentBlob)).all()
    assert blob.ciphertext != TXT_BYTES
    assert TXT_BYTES[:16] not in blob.ciphertext and "Жалоба".encode() not in blob.ciphertext
    [version] = db.session.scalars(db.select(DocumentVersion)).all()
    assert version.storage == "database" and version.location is None
    assert len(version.nonce) == 24 and len(version.key_id) == 16
