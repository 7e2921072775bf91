"""The text of a PDF fpdf2 wrote, read back without another PDF library: the content
streams are inflated, and the glyph codes of each string mapped to characters through the
ToUnicode table of the font that set it (as a reader copies text, or a search indexes it)."""

from __future__ import annotations

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
TOKEN = re.compile(rb"/(\w+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)|\bET\b", re.S)


def _stream(body: bytes) -> bytes:
    length = int(re.search(rb"/Length (\d+)", body).group(1))
    start = re.search(rb"stream\r?\n", body).end()
    raw = body[start : start + length]
    return zlib.decompress(raw) if b"/FlateDecode" in body else raw


def _cmap(data: bytes) -> dict[int, str]:
    table = {}
    for code, char in re.findall(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>", data):
        table[int(code, 16)] = bytes.fromhex(char.decode()).decode("utf-16-be")
    return table


def _unescape(text: bytes) -> bytes:
    def one(match: re.Match) -> bytes:
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return ESCAPES.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, text, flags=re.S)


def pdf_text(data: bytes) -> str:
    """Every string the PDF shows, a line per text object."""
    objects = {int(number): body for number, body in OBJECT.findall(data)}
    maps = {}
    for body in objects.values():
        for name, number in re.findall(rb"/(F\w*) (\d+) 0 R", body):
            unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(number)])
            if unicode:
                maps[name] = _cmap(_stream(objects[int(unicode.group(1))]))
    contents = [
        int(number)
        for body in objects.values()
        for number in re.findall(rb"/Contents (\d+) 0 R", body)
    ]
    lines, current, table = [], "", {}
    for number in contents:
        for match in TOKEN.finditer(_stream(objects[number])):
            if match.group(1):
                table = maps.get(match.group(1), {})
            elif match.group(2) is not None:
                raw = _unescape(match.group(2))
                codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                current += "".join(table.get(code, "\ufffd") for code in codes)
            else:
                lines.append(current)
                current = ""
    return "\n".join(line for line in lines if line)
