"""Both stores: in the database (document_blobs) and in a shared folder (files named by a
random id, written whole, private, removed if their transaction rolls back). Neither holds
the file's bytes. A wrong key, bytes swapped between documents or a missing file give a
clear page, never a traceback, and the log names ids, never a file's name."""

from __future__ import annotations

import io
import logging
import stat

import pytest
from werkzeug.datastructures import FileStorage

from litigation.db import db
from litigation.documents import Upload, upload_document, vault_of
from litigation.models import AuditKind, Case, DocumentBlob, DocumentVersion

from ..conftest import MINIMAL_WORKFLOWS, sign_in
from ..web.casework import trail
from ..web.test_documents import NAME, documents, send_files, upload
from .samples import PDF_BYTES, TXT_BYTES

pytestmark = pytest.mark.usefixtures("english_browser")
OTHER_KEY = "b3RoZXIga2V5IGZvciBkb2N1bWVudHMgLSAzMiBieXQ="


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "shared"


@pytest.fixture
def in_folder(app_for, folder):
    """An app that keeps new versions in a folder, as several hosts would share it."""
    settings = {"DOCUMENTS_STORAGE": "folder", "DOCUMENTS_DIR": str(folder)}
    return app_for(MINIMAL_WORKFLOWS, settings=settings)


def _client(app, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, user)
    return client


def _files(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file())


def test_a_folder_keeps_each_version_as_a_private_file_named_at_random(
    in_folder, folder, lawyer, case
):
    client = _client(in_folder, lawyer)
    assert upload(client, case, data=TXT_BYTES, name=NAME).status_code == 302
    [path] = _files(folder)
    [version] = db.session.scalars(db.select(DocumentVersion)).all()
    assert version.storage == "folder" and version.location == f"{path.parent.name}/{path.name}"
    assert len(path.name) == 32 and "Жалоба" not in str(path) and not path.name.endswith("part")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = path.read_bytes()
    assert stored != TXT_BYTES and TXT_BYTES[:16] not in stored
    assert db.session.scalars(db.select(DocumentBlob)).all() == []
    [document] = documents(case)
    download = client.get(f"/cases/{case.id}/documents/{document.id}/versions/1")
    assert download.data == TXT_BYTES


def test_versions_are_read_where_they_were_stored_when_the_setting_changes(
    mini_client, in_folder, folder, lawyer, case
):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)  # in the database
    [document] = documents(case)
    client = _client(in_folder, lawyer)
    url = f"/cases/{case.id}/documents/{document.id}"
    form = {"number": "1", "file": FileStorage(io.BytesIO(TXT_BYTES), "v2.txt")}
    assert send_files(client, f"{url}/replace", form, form_url=url).status_code == 302
    assert [v.storage for v in documents(case)[0].versions] == ["database", "folder"]
    assert client.get(f"{url}/versions/1").data == PDF_BYTES
    assert client.get(f"{url}/versions/2").data == TXT_BYTES


def test_a_file_written_by_a_transaction_that_rolls_back_is_removed(
    in_folder, folder, lawyer, case
):
    vault, details = vault_of(in_folder), {"title": "Evidence", "kind": "evidence"}
    file = Upload("a.txt", TXT_BYTES, len(TXT_BYTES))
    # Read the id here: inside the other app's context the test's own session would take a
    # connection from that app's engine, and keep it past the engine's disposal.
    case_id = case.id
    with in_folder.app_context():
        here = db.session.get(Case, case_id)
        upload_document(here, details, file, actor=None, vault=vault)
        assert len(_files(folder)) == 1
        db.session.rollback()
        assert _files(folder) == []
        upload_document(here, details, file, actor=None, vault=vault)
        db.session.commit()
        db.session.remove()
    assert len(_files(folder)) == 1


def _download_refused(client, case, document, caplog, message):
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/cases/{case.id}/documents/{document.id}/versions/1")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert message in page and "Traceback" not in page
    assert f"document {document.id} version 1 cannot be served" in caplog.text
    assert "Жалоба" not in caplog.text and "filing stamp" not in caplog.text
    assert trail(case, AuditKind.DOCUMENT_DOWNLOADED) == []


def test_a_wrong_key_gives_a_clear_page_and_a_log_line_without_names(
    mini_client, app_for, lawyer, case, caplog
):
    sign_in(mini_client, lawyer)
    upload(mini_client, case)
    [document] = documents(case)
    wrong = app_for(MINIMAL_WORKFLOWS, settings={"DOCUMENTS_KEY": OTHER_KEY})
    client = _client(wrong, lawyer)
    _download_refused(client, case, document, caplog, "This file cannot be opened")
    assert "is not configured" in caplog.text


def test_encrypted_bytes_swapped_between_documents_refuse_to_decrypt(
    mini_client, lawyer, case, caplog
):
    sign_in(mini_client, lawyer)
    upload(mini_client, case, data=PDF_BYTES, title="First")
    upload(mini_client, case, data=TXT_BYTES, name="second.txt", title="Second")
    first, second = documents(case)
    blobs = {b.version_id: b for b in db.session.scalars(db.select(DocumentBlob))}
    one, two = (blobs[d.current.id] for d in (first, second))
    one.ciphertext, two.ciphertext = two.ciphertext, one.ciphertext
    db.session.commit()
    _download_refused(mini_client, case, first, caplog, "This file cannot be opened")
    assert "tag does not match" in caplog.text


def test_a_missing_folder_file_gives_a_clear_page(in_folder, folder, lawyer, case, caplog):
    client = _client(in_folder, lawyer)
    upload(client, case)
    [path] = _files(folder)
    path.unlink()
    [document] = documents(case)
    _download_refused(client, case, document, caplog, "The stored copy of this file is missing")


def test_an_unusable_key_refuses_the_upload_with_a_clear_page(app_for, lawyer, case, caplog):
    broken = app_for(MINIMAL_WORKFLOWS, settings={"DOCUMENTS_KEY": "not a key"})
    client = _client(broken, lawyer)
    response = upload(client, case)
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "key for documents is missing or cannot be read" in page
    assert "Traceback" not in page
    assert documents(case) == []
