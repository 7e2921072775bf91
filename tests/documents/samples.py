"""Small files of every accepted type, and files that only pretend to be one."""

from __future__ import annotations

import io
import zipfile

from litigation.documents.filetypes import DOCX, JPEG, ODT, PDF, PNG, TXT

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(64)) + b"\xff\xd9"
TXT_BYTES = "Жалоба прокурору Алмалинского района\r\nпринята 12.03.2026, вх. № 45\n".encode()
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


def zip_of(members: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for position, (name, data) in enumerate(members):
            method = zipfile.ZIP_STORED if stored_first and position == 0 else None
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


DOCX_BYTES = zip_of(
    [
        ("[Content_Types].xml", b"<Types/>"),
        ("_rels/.rels", b"<Relationships/>"),
        ("word/document.xml", b"<w:document/>"),
    ]
)
ODT_BYTES = zip_of(
    [("mimetype", ODT.encode()), ("content.xml", b"<office:document-content/>")],
    stored_first=True,
)
MACRO_DOCX_BYTES = zip_of(
    [
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
        ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"),
    ]
)
PLAIN_ZIP_BYTES = zip_of([("notes.txt", b"hello")])
BOMB_LIST_BYTES = zip_of([(f"m{n}.txt", b"") for n in range(2001)])

ACCEPTED = [
    ("complaint.pdf", PDF_BYTES, PDF),
    ("photo.jpg", JPEG_BYTES, JPEG),
    ("scan.png", PNG_BYTES, PNG),
    ("appeal.docx", DOCX_BYTES, DOCX),
    ("appeal.odt", ODT_BYTES, ODT),
    ("notes.txt", TXT_BYTES, TXT),
]
REFUSED = [
    ("complaint.pdf", EXE_BYTES),  # a program renamed
    ("appeal.docx", PLAIN_ZIP_BYTES),  # an archive renamed
    ("appeal.docx", MACRO_DOCX_BYTES),  # a document that carries macros
    ("appeal.docx", BOMB_LIST_BYTES),  # a zip bomb's member list
    ("broken.docx", b"PK\x03\x04" + bytes(100)),  # a damaged archive
    ("notes.txt", b"text with a NUL \x00 byte"),
    ("notes.txt", "не UTF-8".encode("cp1251")),
    ("image.gif", b"GIF89a" + bytes(40)),
]
