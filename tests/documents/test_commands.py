"""`litigation documents`: a new key; rotation re-encrypts every version under the current
key (database and folder), after which the old key is no longer needed; `check` opens every
version and lists what cannot be served and stray files, by ids only."""

from __future__ import annotations

import base64

import pytest

from litigation.db import db
from litigation.documents import key_id
from litigation.models import AuditEntry, AuditKind, DocumentBlob, DocumentVersion

from ..conftest import DOCUMENTS_KEY, MINIMAL_WORKFLOWS, sign_in
from ..web.test_documents import documents, upload
from .samples import PDF_BYTES, TXT_BYTES

pytestmark = pytest.mark.usefixtures("english_browser")
NEW_KEY = base64.b64encode(bytes(range(100, 132))).decode()


def test_new_key_prints_32_random_bytes_in_base64(mini_app):
    result = mini_app.test_cli_runner().invoke(args=["documents", "new-key"])
    assert result.exit_code == 0
    assert len(base64.b64decode(result.output.strip(), validate=True)) == 32


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "shared"


def _run(app, *args: str):
    """The command as the app runs it (in its own context: the test's is another app's)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["documents", *args])


def _app(app_for, folder, **settings):
    base = {"DOCUMENTS_STORAGE": "folder", "DOCUMENTS_DIR": str(folder)}
    return app_for(MINIMAL_WORKFLOWS, settings={**base, **settings})


def _client(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def test_rotation_encrypts_every_version_again_under_the_new_key(
    mini_client, app_for, folder, lawyer, case
):
    sign_in(mini_client, lawyer)
    upload(mini_client, case, data=PDF_BYTES, title="In the database")
    upload(_client(_app(app_for, folder), lawyer), case, data=TXT_BYTES, title="In the folder")
    [old_file] = [p for p in folder.rglob("*") if p.is_file()]
    before = db.session.scalars(db.select(DocumentBlob.ciphertext)).one()
    rotated = _app(app_for, folder, DOCUMENTS_KEY=NEW_KEY, DOCUMENTS_OLD_KEYS=[DOCUMENTS_KEY])

    result = _run(rotated, "rotate-key")

    assert result.exit_code == 0, result.output
    assert "2 version(s) encrypted again" in result.output
    new_id = key_id(base64.b64decode(NEW_KEY))
    assert {v.key_id for v in db.session.scalars(db.select(DocumentVersion))} == {new_id}
    assert db.session.scalars(db.select(DocumentBlob.ciphertext)).one() != before
    [new_file] = [p for p in folder.rglob("*") if p.is_file()]
    assert new_file != old_file and not old_file.exists()
    only_new = _client(_app(app_for, folder, DOCUMENTS_KEY=NEW_KEY), lawyer)
    first, second = documents(case)
    assert only_new.get(f"/cases/{case.id}/documents/{first.id}/versions/1").data == PDF_BYTES
    assert only_new.get(f"/cases/{case.id}/documents/{second.id}/versions/1").data == TXT_BYTES
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.kind == AuditKind.DOCUMENTS_REKEYED)
    )
    assert entry.details == {"versions": 2, "key": new_id}
    again = _run(rotated, "rotate-key")
    assert "0 version(s) encrypted again" in again.output


def test_check_lists_versions_that_do_not_open_and_stray_files(
    mini_client, mini_app, app_for, folder, lawyer, case
):
    sign_in(mini_client, lawyer)
    upload(mini_client, case, data=PDF_BYTES, title="First")
    upload(mini_client, case, data=TXT_BYTES, title="Second")
    good = _run(mini_app, "check")
    assert good.exit_code == 0, good.output
    assert "Every stored version opens with its key" in good.output
    first, _second = documents(case)
    blob = db.session.get(DocumentBlob, first.current.id)
    blob.ciphertext = blob.ciphertext[:-1] + bytes([blob.ciphertext[-1] ^ 1])
    db.session.commit()
    stray = folder / "ab" / ("ab" + "0" * 30)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left by a crash")

    result = _run(_app(app_for, folder), "check")

    assert result.exit_code == 1
    assert f"document {first.id} version 1: the tag does not match" in result.output
    assert "no version names this file" in result.output
    assert "2 problem(s)" in result.output
