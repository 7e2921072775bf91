"""The JSON export carries documents, their versions and, for the database store, the
encrypted bytes in base64, never decrypted; an import into a new database serves the same
files with the same key (which is never in the export)."""

from __future__ import annotations

import base64
import json

from litigation.db import db
from litigation.documents import vault_of
from litigation.documents.operations import decrypt
from litigation.models import DocumentVersion

from ..conftest import DOCUMENTS_KEY
from .test_export_import import _demo_with_a_signed_in_lawyer, _export, _load_into


def test_an_export_carries_the_encrypted_bytes_and_an_import_serves_them(
    app, app_on, empty_database, tmp_path
):
    _demo_with_a_signed_in_lawyer(app)
    path = tmp_path / "export.json"
    assert _export(app, path).exit_code == 0
    tables = json.loads(path.read_text(encoding="utf-8"))["tables"]
    assert tables["documents"] and tables["document_versions"]
    for row in tables["document_blobs"]:
        stored = base64.b64decode(row["ciphertext"])
        assert b"%PDF" not in stored and "Жалоба".encode() not in stored
    text = path.read_text(encoding="utf-8")
    assert "Жалоба в порядке" not in text and "Postanovlenie" not in text
    assert DOCUMENTS_KEY not in text
    originals = {
        v.id: decrypt(v, vault_of(app)) for v in db.session.scalars(db.select(DocumentVersion))
    }

    target = app_on(empty_database)
    _load_into(target, path)

    with target.app_context():
        vault = vault_of(target)
        for version in db.session.scalars(db.select(DocumentVersion)):
            assert decrypt(version, vault) == originals[version.id]
