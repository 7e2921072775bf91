"""Documents on a case: uploaded (checked by content, encrypted, stored), replaced by a new
version (the earlier ones kept), removed softly with a reason, and opened for a download.

Operations flush and never commit. The audit trail gets ids, the kind, the version number,
size and checked type, never a title, a description, a reason or a file's name (which may
name the survivor).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..audit import record
from ..db import db, utcnow
from ..errors import DomainError, InvalidInput, msg
from ..models import (
    AuditKind,
    Case,
    Deadline,
    Document,
    DocumentKind,
    DocumentVersion,
    Event,
    User,
)
from .filetypes import ACCEPTED_NAMES, FileType, UnknownType, clean_file_name, detect
from .vault import MEGABYTE, Vault

LIMITS = {"title": 200, "description": 2000}
REASON_LIMIT = 2000


class StaleDocument(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            msg(
                "Someone else replaced or removed this document while you were working on "
                "it. Nothing was saved: look at the document as it is now and try again."
            )
        )


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: its name, its bytes (cut off past the size limit) and how many
    bytes were sent in all."""

    name: str | None
    data: bytes
    size: int


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f}"


def check_upload(upload: Upload | None, vault: Vault) -> FileType:
    """The checked type of an upload; InvalidInput on `file` if it is missing, empty, too
    large or none of the accepted types."""
    if upload is None or (upload.size == 0 and not upload.name):
        raise InvalidInput({"file": msg("Choose a file.")})
    if upload.size == 0:
        raise InvalidInput({"file": msg("This file is empty: choose another.")})
    if upload.size > vault.max_bytes:
        raise InvalidInput(
            {
                "file": msg(
                    "This file is %(size)s MB; a file may be at most %(most)s MB. Choose a "
                    "smaller one (a scan at a lower resolution, or split in parts).",
                    size=_megabytes(upload.size),
                    most=vault.max_megabytes,
                )
            }
        )
    try:
        return detect(upload.data)
    except UnknownType as error:
        raise InvalidInput(
            {
                "file": msg(
                    "This file is not one of the accepted types: %(types)s. They are "
                    "recognised by their content, not by their name.",
                    types=ACCEPTED_NAMES,
                )
            }
        ) from error


def _clean(case: Case, details: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The details ready to store, and the problems found (field -> message)."""
    clean = {name: str(details.get(name) or "").strip() or None for name in LIMITS}
    errors: dict[str, str] = {}
    if not clean["title"]:
        errors["title"] = msg("Give the document a title (what it is, e.g. the complaint).")
    for name, limit in LIMITS.items():
        if clean[name] and len(clean[name]) > limit:
            errors[name] = msg("At most %(limit)s characters.", limit=limit)
    clean["kind"] = details.get("kind")
    if clean["kind"] not in {kind.value for kind in DocumentKind}:
        errors["kind"] = msg("Choose a kind from the list.")
    clean["event"], clean["deadline"] = _tie(
        case, details.get("event_id"), details.get("deadline_id")
    )
    if (details.get("event_id") and clean["event"] is None) or (
        details.get("deadline_id") and clean["deadline"] is None
    ):
        errors["tie"] = msg("Choose a step or a deadline of this case from the list.")
    return clean, errors


def _tie(case: Case, event_id: Any, deadline_id: Any) -> tuple[Event | None, Deadline | None]:
    """The step or deadline a document proves, if it is one of this case's."""
    event = db.session.get(Event, event_id) if isinstance(event_id, int) else None
    deadline = db.session.get(Deadline, deadline_id) if isinstance(deadline_id, int) else None
    if event is not None and event.proceeding.case_id != case.id:
        event = None
    if deadline is not None and deadline.proceeding.case_id != case.id:
        deadline = None
    return event, deadline


def document_problems(
    case: Case, details: Mapping[str, Any], upload: Upload | None, vault: Vault
) -> dict[str, str]:
    """Every problem with a new document's details and file (field -> message)."""
    _details, errors = _clean(case, details)
    try:
        check_upload(upload, vault)
    except InvalidInput as error:
        errors.update(error.errors)
    return errors


def upload_document(
    case: Case,
    details: Mapping[str, Any],
    upload: Upload | None,
    *,
    actor: User | None,
    vault: Vault,
) -> Document:
    """Add a document with its first version (flushes); every problem refused at once."""
    errors = document_problems(case, details, upload, vault)
    if errors:
        raise InvalidInput(errors)
    clean, _errors = _clean(case, details)
    file_type = check_upload(upload, vault)
    document = Document(
        case=case,
        title=clean["title"],
        kind=clean["kind"],
        description=clean["description"],
        event=clean["event"],
        deadline=clean["deadline"],
        current_number=1,
        created_by_id=actor and actor.id,
    )
    db.session.add(document)
    db.session.flush()
    version = _add_version(document, 1, upload, file_type, actor, vault)
    record(AuditKind.DOCUMENT_UPLOADED, actor=actor, case=case.id, details=_ids(document, version))
    return document


def replace_document(
    document: Document,
    upload: Upload | None,
    *,
    expected_number: int | None,
    actor: User | None,
    vault: Vault,
) -> DocumentVersion:
    """Add a new version and make it current (the earlier ones stay); refuse a stale page."""
    if document.removed_at is not None or expected_number not in (None, document.current_number):
        raise StaleDocument()
    file_type = check_upload(upload, vault)
    number = document.current_number + 1
    # The document's row is updated (its version checked) before the new version goes in:
    # of two replacements at once, the second is refused here, not by the unique number.
    document.current_number = number
    try:
        version = _add_version(document, number, upload, file_type, actor, vault)
    except (StaleDataError, IntegrityError) as error:
        raise StaleDocument() from error
    details = _ids(document, version)
    record(AuditKind.DOCUMENT_REPLACED, actor=actor, case=document.case_id, details=details)
    return version


def remove_document(
    document: Document, reason: str | None, *, expected_version: int | None, actor: User | None
) -> Document:
    """Take the document off the case's list (rows and files stay); a reason is required."""
    if document.removed_at is not None or expected_version not in (None, document.version):
        raise StaleDocument()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": msg("Say why the document is removed.")})
    if len(reason) > REASON_LIMIT:
        raise InvalidInput({"reason": msg("At most %(limit)s characters.", limit=REASON_LIMIT)})
    document.removed_at = utcnow()
    document.removed_by_id = actor and actor.id
    document.removed_reason = reason
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleDocument() from error
    details = {"document": document.id, "kind": document.kind}
    record(AuditKind.DOCUMENT_REMOVED, actor=actor, case=document.case_id, details=details)
    return document


def open_version(version: DocumentVersion, *, actor: User | None, vault: Vault) -> bytes:
    """The plaintext of a version, its download on the audit trail; CannotDecrypt or
    StoredFileMissing when the server cannot produce it."""
    document = version.document
    plaintext = decrypt(version, vault)
    details = _ids(document, version)
    record(AuditKind.DOCUMENT_DOWNLOADED, actor=actor, case=document.case_id, details=details)
    return plaintext


def decrypt(version: DocumentVersion, vault: Vault) -> bytes:
    """The plaintext of a version, not audited (the server's own checks and key rotation)."""
    return vault.keys().open(
        vault.fetch(version),
        nonce=version.nonce,
        key=version.key_id,
        document=version.document_id,
        number=version.number,
        sha256=version.sha256,
    )


def case_documents(case: Case) -> list[Document]:
    """Every document of the case (removed ones too), newest first, with their versions."""
    query = (
        db.select(Document)
        .where(Document.case_id == case.id)
        .options(
            selectinload(Document.versions).selectinload(DocumentVersion.uploaded_by),
            selectinload(Document.removed_by),
        )
        .order_by(Document.created_at.desc(), Document.id.desc())
    )
    return list(db.session.scalars(query))


def _add_version(
    document: Document,
    number: int,
    upload: Upload,
    file_type: FileType,
    actor: User | None,
    vault: Vault,
) -> DocumentVersion:
    digest = hashlib.sha256(upload.data).hexdigest()
    sealed = vault.keys().seal(upload.data, document=document.id, number=number, sha256=digest)
    version = DocumentVersion(
        document=document,
        number=number,
        file_name=clean_file_name(upload.name),
        media_type=file_type.media_type,
        size=len(upload.data),
        sha256=digest,
        uploaded_by_id=actor and actor.id,
        storage=vault.backend,
        key_id=sealed.key_id,
        nonce=sealed.nonce,
    )
    db.session.add(version)
    db.session.flush()
    vault.store(version, sealed.ciphertext)
    db.session.flush()
    return version


def _ids(document: Document, version: DocumentVersion) -> dict[str, Any]:
    return {
        "document": document.id,
        "kind": document.kind,
        "version": version.number,
        "size": version.size,
        "type": version.media_type,
    }
