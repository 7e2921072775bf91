"""Reading a page's forms as a browser submits them: every field with its value."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser


class FormReader(HTMLParser):
    """The forms of a page as a browser would submit them: (name, value) pairs per form."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.actions: list[str] = []
        self._select: str | None = None
        self._multiple, self._first, self._chosen = False, None, False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append([])
            self.actions.append(a.get("action", ""))
        elif tag == "input" and "name" in a and self.forms:
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1].append((a["name"], a.get("value", "y")))
        elif tag == "select":
            self._select = a.get("name")
            self._multiple, self._first, self._chosen = "multiple" in a, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._first = value if self._first is None else self._first
            if "selected" in a:
                self.forms[-1].append((self._select, value))
                self._chosen = True
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            # A single choice with nothing selected sends its first option, as browsers do.
            if not (self._chosen or self._multiple or self._first is None):
                self.forms[-1].append((self._select, self._first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.forms[-1].append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def _form(page: str, field: str) -> tuple[str, list[tuple[str, str]]]:
    reader = FormReader()
    reader.feed(page)
    for action, pairs in zip(reader.actions, reader.forms, strict=True):
        if any(name == field for name, _value in pairs):
            return action, pairs
    raise AssertionError(f"no form with {field} on the page")


def form_with(page: str, field: str) -> dict[str, list[str]]:
    """The fields of the page's form that has `field`, as a browser would post them."""
    fields: dict[str, list[str]] = {}
    for name, value in _form(page, field)[1]:
        fields.setdefault(name, []).append(value)
    return fields


def action_of(page: str, field: str) -> str:
    """Where the page's form that has `field` posts to."""
    return _form(page, field)[0]


def confirmation(page: str) -> str:
    """The text of the confirmation a step, a correction or an override left on the case page
    (web/confirmation.py: the box the redirect lands on, at `#done`); '' when there is none."""
    match = re.search(r'<div id="done" class="confirmation[^"]*"[^>]*>(.*?)</div>', page, re.S)
    if not match:
        return ""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())
