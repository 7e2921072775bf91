"""What a file is, read from its bytes, never from its name: PDF, JPEG, PNG, DOCX, ODT or
plain UTF-8 text. Anything else (a program, an archive, a document with macros) is refused.

Pure Python: no database, no Flask.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TXT = "text/plain"


@dataclass(frozen=True)
class FileType:
    """An accepted type: its media type, the name people know it by, its usual extensions."""

    media_type: str
    name: str
    extensions: tuple[str, ...]


TYPES = {
    PDF: FileType(PDF, "PDF", (".pdf",)),
    JPEG: FileType(JPEG, "JPEG", (".jpg", ".jpeg")),
    PNG: FileType(PNG, "PNG", (".png",)),
    DOCX: FileType(DOCX, "DOCX", (".docx",)),
    ODT: FileType(ODT, "ODT", (".odt",)),
    TXT: FileType(TXT, "TXT", (".txt",)),
}
ACCEPTED_NAMES = ", ".join(t.name for t in TYPES.values())

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
# A word-processing archive has a few dozen members; thousands is a zip bomb's member list.
MAX_ZIP_MEMBERS = 2000
# Nor does it unpack to more than this (declared sizes; nothing is unpacked here).
MAX_UNPACKED = 512 * 1024 * 1024
# Control characters no text document holds (tab, line feed, form feed, carriage return and
# escape may appear in plain text; escape for coloured terminal logs).
BINARY_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13, 27} | {127}


class UnknownType(ValueError):
    """The bytes are none of the accepted types; the message says why, in English."""


def detect(data: bytes) -> FileType:
    """The type of `data`, checked by content; UnknownType for anything else."""
    if data.startswith(b"%PDF-"):
        return TYPES[PDF]
    if data.startswith(b"\xff\xd8\xff"):
        return TYPES[JPEG]
    if data.startswith(PNG_SIGNATURE):
        return TYPES[PNG]
    if data.startswith(ZIP_SIGNATURE):
        return TYPES[_office_type(data)]
    if _is_text(data):
        return TYPES[TXT]
    raise UnknownType("not one of the accepted types")


def _office_type(data: bytes) -> str:
    """DOCX or ODT by what the archive holds; refuse other archives and macro documents."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise UnknownType(f"an archive of {len(members)} members")
            if sum(member.file_size for member in members) > MAX_UNPACKED:
                raise UnknownType("an archive that unpacks to too much")
            names = {member.filename for member in members}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise UnknownType("a document with macros")
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            # ODF: the first member, stored, is `mimetype` holding the document's type.
            first = members[0] if members else None
            if (
                first is not None
                and first.filename == "mimetype"
                and first.file_size < 100
                and archive.read(first).strip() == ODT.encode()
            ):
                return ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
        raise UnknownType("a damaged archive") from error
    raise UnknownType("an archive that is neither DOCX nor ODT")


def _is_text(data: bytes) -> bool:
    """Valid UTF-8 (a byte order mark allowed) without NUL or binary control characters."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(ord(char) in BINARY_CONTROLS for char in text)


def clean_file_name(name: str | None, fallback: str = "document") -> str:
    """The name the browser sent, without folders, control characters or quotes, at most
    200 characters (kept for the download; it may name the survivor, so never logged)."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    kept = "".join(c for c in base if c.isprintable() and c not in '"\\/').strip(" .")
    if len(kept) > 200:
        stem, dot, extension = kept.rpartition(".")
        kept = stem[: 199 - len(extension)] + dot + extension if dot else kept[:200]
    return kept or fallback


def download_name(name: str, file_type: FileType) -> str:
    """The stored name with the extension of the checked type: a PNG uploaded as `x.pdf`
    downloads as `x.png`, so that the phone opens it with the right app."""
    stem, dot, extension = name.rpartition(".")
    if dot and f".{extension.lower()}" in file_type.extensions:
        return name
    known = {ext for t in TYPES.values() for ext in t.extensions} | {".htm", ".html", ".svg"}
    if dot and stem and f".{extension.lower()}" in known:
        name = stem
    return name + file_type.extensions[0]
