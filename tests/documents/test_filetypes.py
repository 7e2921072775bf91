"""A file's type is read from its content: the six accepted types are recognised whatever
their name, and programs, other archives, macro documents and binary junk are refused."""

from __future__ import annotations

import pytest

from litigation.documents import TYPES, UnknownType, detect, download_name
from litigation.documents.filetypes import DOCX, PDF, PNG, TXT, clean_file_name

from .samples import ACCEPTED, REFUSED


@pytest.mark.parametrize(("name", "data", "media_type"), ACCEPTED)
def test_each_accepted_type_is_recognised(name, data, media_type):
    assert detect(data).media_type == media_type


@pytest.mark.parametrize(("name", "data"), REFUSED)
def test_anything_else_is_refused(name, data):
    with pytest.raises(UnknownType):
        detect(data)


def test_text_may_start_with_a_byte_order_mark_and_hold_tabs():
    assert detect("\ufeffстрока\tвторая\r\n".encode()).media_type == TXT


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("Жалоба.pdf", "Жалоба.pdf"),
        ("C:\\Users\\lawyer\\Desktop\\Жалоба.pdf", "Жалоба.pdf"),
        ("../../etc/passwd", "passwd"),
        ('a"b\r\n.pdf', "ab.pdf"),
        ("", "document"),
        (None, "document"),
        ("..", "document"),
        ("я" * 300 + ".pdf", "я" * 196 + ".pdf"),
    ],
)
def test_a_file_name_is_kept_without_folders_or_control_characters(sent, kept):
    assert clean_file_name(sent) == kept


@pytest.mark.parametrize(
    ("name", "media_type", "downloaded"),
    [
        ("Жалоба.pdf", PDF, "Жалоба.pdf"),
        ("scan.PDF", PDF, "scan.PDF"),
        ("scan.pdf", PNG, "scan.png"),
        ("page.html", TXT, "page.txt"),
        ("run.exe", TXT, "run.exe.txt"),
        ("appeal", DOCX, "appeal.docx"),
    ],
)
def test_a_download_carries_the_extension_of_its_checked_type(name, media_type, downloaded):
    assert download_name(name, TYPES[media_type]) == downloaded
