"""Keeping the stored files sound: re-encrypting versions under the current key (rotation),
and checking that every version opens with its key and matches its SHA-256, and that the
documents folder holds no file that no version names.

Nothing here leaves the server: no plaintext is written anywhere, and reports name ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..audit import record
from ..db import db
from ..models import AuditKind, DocumentVersion
from . import storage
from .crypto import CannotDecrypt
from .operations import decrypt
from .storage import StoredFileMissing
from .vault import Vault


@dataclass(frozen=True)
class Problem:
    """A version the server cannot serve, or a file no version names."""

    what: str

    def __str__(self) -> str:
        return self.what


def stale_versions(vault: Vault) -> list[int]:
    """Ids of the versions encrypted with another key than the current one."""
    current = vault.keys().current_id
    query = db.select(DocumentVersion.id).where(DocumentVersion.key_id != current)
    return list(db.session.scalars(query.order_by(DocumentVersion.id)))


def rekey(version_id: int, vault: Vault) -> None:
    """Encrypt one version again with the current key and a fresh nonce (flushes)."""
    version = db.session.get(DocumentVersion, version_id)
    plaintext = decrypt(version, vault)
    sealed = vault.keys().seal(
        plaintext, document=version.document_id, number=version.number, sha256=version.sha256
    )
    storage.rewrite(version, sealed.ciphertext, folder=vault.folder)
    version.key_id, version.nonce = sealed.key_id, sealed.nonce
    db.session.flush()


def record_rotation(count: int, vault: Vault) -> None:
    """The rotation on the audit trail: how many versions, under which key (its id)."""
    details = {"versions": count, "key": vault.keys().current_id}
    record(AuditKind.DOCUMENTS_REKEYED, actor=None, details=details)


def check(vault: Vault) -> Iterator[Problem]:
    """Every problem with the stored files, one version at a time (memory stays small)."""
    ids = db.session.scalars(db.select(DocumentVersion.id).order_by(DocumentVersion.id)).all()
    named = set()
    for version_id in ids:
        version = db.session.get(DocumentVersion, version_id)
        if version.location:
            named.add(version.location)
        label = f"document {version.document_id} version {version.number}"
        try:
            decrypt(version, vault)
        except (CannotDecrypt, StoredFileMissing) as error:
            yield Problem(f"{label}: {error.reason}")
        db.session.expunge(version)
    yield from _unnamed_files(vault, named)


def _unnamed_files(vault: Vault, named: set[str]) -> Iterator[Problem]:
    """Files left by an upload whose transaction never committed (a crash in between)."""
    if not vault.folder.is_dir():
        return
    for path in sorted(vault.folder.glob("*/*")):
        location = f"{path.parent.name}/{path.name}"
        if path.is_file() and location not in named:
            yield Problem(f"{vault.folder / location}: no version names this file")
