"""The operations themselves: of two replacements racing, the one that finds the document
changed under it is refused (StaleDocument), and nothing of it is kept."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from litigation.db import db
from litigation.documents import (
    StaleDocument,
    Upload,
    remove_document,
    replace_document,
    upload_document,
    vault_of,
)
from litigation.models import Document, DocumentVersion

from .samples import PDF_BYTES, PNG_BYTES, TXT_BYTES


def _upload(data: bytes) -> Upload:
    return Upload("file", data, len(data))


def test_a_replacement_that_finds_the_row_changed_under_it_is_refused(mini_app, case):
    vault = vault_of(mini_app)
    details = {"title": "Evidence", "kind": "evidence"}
    document = upload_document(case, details, _upload(PDF_BYTES), actor=None, vault=vault)
    db.session.commit()
    loaded = db.session.get(Document, document.id)
    loaded.current_number  # noqa: B018  (loaded as the page showed it)
    # Another request replaced it meanwhile (its UPDATE bumped the row's version).
    with db.engine.begin() as other:
        other.execute(
            update(Document)
            .where(Document.id == document.id)
            .values(current_number=2, version=Document.version + 1)
        )

    with pytest.raises(StaleDocument):
        replace_document(loaded, _upload(TXT_BYTES), expected_number=1, actor=None, vault=vault)

    db.session.rollback()
    numbers = db.session.scalars(db.select(DocumentVersion.number)).all()
    assert numbers == [1]


def test_a_removed_document_cannot_be_replaced(mini_app, case):
    vault = vault_of(mini_app)
    details = {"title": "Evidence", "kind": "evidence"}
    document = upload_document(case, details, _upload(PDF_BYTES), actor=None, vault=vault)
    remove_document(document, "wrong case", expected_version=None, actor=None)
    with pytest.raises(StaleDocument):
        replace_document(
            document, _upload(PNG_BYTES), expected_number=None, actor=None, vault=vault
        )
