"""The demo carries documents tied to steps and deadlines, encrypted like any upload."""

from __future__ import annotations

from litigation.db import db
from litigation.documents import vault_of
from litigation.documents.operations import decrypt
from litigation.models import Document, DocumentVersion

from ..conftest import TODAY


def test_the_demo_has_a_complaint_tied_to_a_step_and_a_decision_tied_to_a_deadline(app):
    result = app.test_cli_runner().invoke(args=["demo", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    found = db.session.scalars(db.select(Document)).all()
    assert {d.kind for d in found} == {"complaint", "decision"}
    assert any(d.event_id for d in found) and any(d.deadline_id for d in found)
    vault = vault_of(app)
    for version in db.session.scalars(db.select(DocumentVersion)):
        plaintext = decrypt(version, vault)
        assert plaintext.startswith(b"%PDF-1.4") or "Жалоба".encode() in plaintext
        assert version.media_type in {"application/pdf", "text/plain"}
