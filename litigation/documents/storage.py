"""Where encrypted versions are kept: a row of document_blobs ("database"), or a file in the
documents folder ("folder"), named by a random id, never by the file's own name.

A folder file is written to a temporary name, flushed to the disk and renamed into place, so
a reader on any host sees a whole file or none; files are never changed afterwards, so hosts
sharing the folder need no locks. Files written by a transaction that is then rolled back are
removed (they were never a document); files a committed transaction made obsolete (a key
rotation) are removed after the commit.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..db import db
from ..errors import DomainError, msg
from ..models import DocumentBlob, DocumentVersion

DATABASE = "database"
FOLDER = "folder"
BACKENDS = (DATABASE, FOLDER)
_WRITTEN = "litigation.documents.written"
_OBSOLETE = "litigation.documents.obsolete"


class StoredFileMissing(DomainError):
    """The encrypted bytes of a version are not where its row says."""

    status = 500

    def __init__(self, reason: str) -> None:
        super().__init__(
            msg(
                "The stored copy of this file is missing: nothing was shown. Tell the "
                "administrator (the server's log names the document); the backups of the "
                "documents folder hold it."
            )
        )
        self.reason = reason


def put(version: DocumentVersion, ciphertext: bytes, *, backend: str, folder: Path) -> None:
    """Keep a version's encrypted bytes (its row must have an id: flushed)."""
    version.storage = backend
    if backend == DATABASE:
        version.location = None
        db.session.add(DocumentBlob(version_id=version.id, ciphertext=ciphertext))
        return
    name = secrets.token_hex(16)
    location = f"{name[:2]}/{name}"
    _write_atomically(folder / location, ciphertext)
    db.session.info.setdefault(_WRITTEN, []).append(folder / location)
    version.location = location


def get(version: DocumentVersion, *, folder: Path) -> bytes:
    """A version's encrypted bytes, wherever they were kept when it was uploaded."""
    if version.storage == DATABASE:
        query = select(DocumentBlob.ciphertext).where(DocumentBlob.version_id == version.id)
        found = db.session.scalar(query)
        if found is None:
            raise StoredFileMissing(f"no row in document_blobs for version {version.id}")
        return found
    path = folder / (version.location or "")
    if not version.location or not path.is_file():
        raise StoredFileMissing(f"no file {version.location} in the documents folder")
    return path.read_bytes()


def rewrite(version: DocumentVersion, ciphertext: bytes, *, folder: Path) -> None:
    """Replace a version's encrypted bytes where they are (a new key); an old folder file is
    removed once the transaction has committed."""
    if version.storage == DATABASE:
        blob = db.session.get(DocumentBlob, version.id)
        if blob is None:
            raise StoredFileMissing(f"no row in document_blobs for version {version.id}")
        blob.ciphertext = ciphertext
        return
    old = folder / (version.location or "")
    put(version, ciphertext, backend=FOLDER, folder=folder)
    db.session.info.setdefault(_OBSOLETE, []).append(old)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a folder cannot be opened for syncing everywhere)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_OBSOLETE, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_OBSOLETE, None)
    for path in session.info.pop(_WRITTEN, []):
        path.unlink(missing_ok=True)
