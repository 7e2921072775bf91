"""Fill a page's form as a person would submit it unchanged: every field's current value,
the first choice of each list, today for an empty date, the CSRF token included."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action_part: str) -> None:
        super().__init__()
        self.action_part = action_part
        self.inside = False
        self.fields: dict[str, str] = {}
        self.select: str | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            # The page's own form posts to the page itself (no action) or names its action.
            action = a.get("action", "")
            mine = not action or self.action_part in action
            self.inside = not self.done and mine and a.get("method", "").lower() == "post"
        elif not self.inside or "name" not in a:
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "input" and "checked" in a:
            self.fields[a["name"]] = a.get("value", "y")
        elif tag == "textarea":
            # A reason the form requires (a correction's): said as a person would.
            self.fields.setdefault(
                a["name"], "Checked against the file." if "required" in a else ""
            )
        elif tag == "select":
            self.select = a["name"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.done = self.done or self.inside
            self.inside = False
        elif tag == "select":
            self.select = None

    def handle_starttag_option(self, a: dict[str, str]) -> None:
        if self.select and a.get("value") and "disabled" not in a:
            chosen = "selected" in a or not self.fields.get(self.select)
            if chosen:
                self.fields[self.select] = a["value"]


class _FormWithOptions(_Form):
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "option" and self.inside:
            self.handle_starttag_option({key: value or "" for key, value in attrs})
            return
        super().handle_starttag(tag, attrs)


def form_fields(html: str, action_part: str, today: str) -> dict[str, str]:
    """The fields of the POST form whose action contains `action_part`."""
    parser = _FormWithOptions(action_part)
    parser.feed(html)
    fields = parser.fields
    for name, value in fields.items():
        if not value and ("date" in name or name.endswith("_on")):
            fields[name] = today
    return fields
