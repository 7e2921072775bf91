"""What a Russian reader must never see on a page: English words and the program's own tokens.

`problems(html, data)` reads a page as a reader does (text, titles, placeholders, button
labels; not scripts, styles, the values typed into fields, nor code elements, which hold what
is copied verbatim: addresses, keys, recovery codes) and names every word or token that is not
Russian prose.

The English words are the app's own: every Latin word of the catalogue's English msgids that
the Russian translations do not use themselves (those are proper names and terms kept in
Latin letters: FreeOTP, Google, iCal...), the English words the calendars speak (the
`holidays` package's names of Kazakh and Tajik holidays, weekdays, months, "confirmed"), plus
the offenders the browser audit found. The list follows the catalogue and the package, so a
new English string is checked as soon as it is written.

Allowed, on purpose (ALLOWED and `_without_data`):
- the app's name, litigation (its brand, not a word);
- the data shown on the page: case references (KZ-2026-001), e-mail addresses, addresses
  (https://...), people's names, passed in `data` by the test;
- Latin words the Russian catalogue itself uses (proper names, treaty and product names).
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import holidays
from babel.messages.pofile import read_po

from litigation.workflows.holiday_rules import MONTH_NAMES, WEEKDAY_NAMES

CATALOGUE = (
    Path(__file__).resolve().parents[2] / "litigation/translations/ru/LC_MESSAGES/messages.po"
)
ALLOWED = frozenset({"litigation"})
# Found by the browser audit of issue 12, whether or not a msgid carries them.
OFFENDERS = frozenset(
    {"warning", "unverified", "lawyer", "kz", "tj", "none", "true", "false", "public", "holiday"}
)
TOKENS = {
    "a program identifier": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "a file name": re.compile(r"\b[\w-]+\.(?:ya?ml|py|ics|csv)\b|(?<![\w/])\.ics\b"),
    "a setting": re.compile(r"\b\w+: (?:true|false|null)\b", re.IGNORECASE),
    "an ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "a decimal point": re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])"),
    # "−714 days left" reads "714 days overdue"; a count below zero is a program's number.
    "a negative number": re.compile(r"(?<![\w.\-–/])[−-]\d+"),
}
WORD = re.compile(r"[A-Za-z]{2,}")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\{[^}]*\}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"\bhttps?://\S+")
SKIPPED = frozenset({"script", "style", "textarea", "code", "kbd", "samp"})
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def _latin_words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(PLACEHOLDER.sub(" ", text))}


@functools.cache
def english_words() -> frozenset[str]:
    """Latin words of the English msgids that no Russian msgstr uses, plus the offenders."""
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    english: set[str] = set()
    russian: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            english |= _latin_words(text)
        for text in strings:
            russian |= _latin_words(text or "")
    return frozenset((english - russian | OFFENDERS | _calendar_words()) - ALLOWED)


def _calendar_words() -> set[str]:
    """What the calendars say in English: holiday names, weekdays, months, their labels."""
    names = holidays.country_holidays("KZ", years=range(2000, 2031), language="en_US").values()
    tajik = holidays.country_holidays("TJ", years=range(2000, 2031), language="en_US").values()
    said = [*names, *tajik, *WEEKDAY_NAMES, *MONTH_NAMES, "confirmed decreed substituted"]
    return {word for text in said for word in _latin_words(text)}


class _Reader(HTMLParser):
    """The text a reader sees, in pieces: element text and shown attributes."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr", "wbr", "source", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        self.pieces.extend(a[name] for name in SHOWN_ATTRIBUTES if a.get(name))
        if tag == "input" and a.get("type") in ("submit", "button", "reset"):
            self.pieces.append(a.get("value", ""))
        if tag not in self.VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not SKIPPED.intersection(self._open) and data.strip():
            self.pieces.append(data)


def visible_text(html: str) -> list[str]:
    """The pieces of text a reader sees on the page."""
    reader = _Reader()
    reader.feed(html)
    return [" ".join(piece.split()) for piece in reader.pieces if piece.strip()]


def _without_data(text: str, data: tuple[str, ...]) -> str:
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return URL.sub(" ", EMAIL.sub(" ", text))


def problems(html: str, data: tuple[str, ...] = ()) -> list[str]:
    """Every English word or program token on the page, each with the text it stands in."""
    words = english_words()
    found: dict[str, str] = {}
    for piece in visible_text(html):
        text = _without_data(piece, data)
        for what, pattern in TOKENS.items():
            for match in pattern.finditer(text):
                found.setdefault(f"{what} {match.group()!r}", piece)
        for word in WORD.findall(text):
            if word.lower() in words:
                found.setdefault(f"an English word {word!r}", piece)
    return [f"{what} in “{_short(piece)}”" for what, piece in found.items()]


def _short(text: str, most: int = 90) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
