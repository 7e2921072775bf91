"""What a step, a correction or an override just did, shown where the eye lands.

The view that acted keeps the outcome for the next page (as a flash message of its own
category), and redirects to the case page at `#done`: the confirmation is drawn there, at the
top of the proceeding acted on, and the deadlines it opened, closed or moved are marked in
that proceeding's table. On a phone the page opens on the confirmation itself, not on a list
of messages a thousand pixels above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import flash, get_flashed_messages, redirect, url_for

from ..models import Case, Deadline, Proceeding

CATEGORY = "done"
ANCHOR = "done"


@dataclass
class Confirmation:
    """The outcome of one action on a proceeding: a headline, lines to read, deadlines marked."""

    proceeding_id: int
    headline: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): success, warning…
    marks: dict[int, str] = field(default_factory=dict)  # deadline id -> new, closed, moved
    opened_routes: list[int] = field(default_factory=list)  # proceedings a hand-over opened
    event_id: int | None = None  # drawn at this history entry instead (a note edited)

    def say(self, text: str, kind: str = "info") -> None:
        self.lines.append((kind, text))

    def mark(self, deadlines: Iterable[Deadline], how: str) -> None:
        for deadline in deadlines:
            self.marks.setdefault(deadline.id, how)

    @property
    def kind(self) -> str:
        """The box's colour: a warning if any line is one."""
        warned = any(kind in ("warning", "error") for kind, _text in self.lines)
        return "warning" if warned else "success"

    def as_json(self) -> dict:
        return {
            "proceeding": self.proceeding_id,
            "headline": self.headline,
            "lines": [list(line) for line in self.lines],
            "marks": [[deadline_id, how] for deadline_id, how in self.marks.items()],
            "routes": self.opened_routes,
            "event": self.event_id,
        }

    @classmethod
    def from_json(cls, data: dict) -> Confirmation:
        return cls(
            int(data["proceeding"]),
            str(data["headline"]),
            [(str(kind), str(text)) for kind, text in data.get("lines", [])],
            {int(deadline_id): str(how) for deadline_id, how in data.get("marks", [])},
            [int(number) for number in data.get("routes", [])],
            int(data["event"]) if data.get("event") else None,
        )


def show_at_proceeding(confirmation: Confirmation, case_id: int):
    """Keep the confirmation for the case page and redirect to it, where it is drawn."""
    flash(confirmation.as_json(), CATEGORY)
    return redirect(url_for("cases.show", case_id=case_id, _anchor=ANCHOR))


def confirmation_for(case: Case) -> Confirmation | None:
    """The confirmation kept for this case page, if it is about one of the case's proceedings."""
    kept = get_flashed_messages(category_filter=[CATEGORY])
    if not kept or not isinstance(kept[-1], dict):
        return None
    try:
        confirmation = Confirmation.from_json(kept[-1])
    except (KeyError, TypeError, ValueError):
        return None
    mine = {proceeding.id for proceeding in case.proceedings}
    return confirmation if confirmation.proceeding_id in mine else None


def routes_opened(confirmation: Confirmation | None, case: Case) -> list[Proceeding]:
    """The proceedings a hand-over in the confirmation opened, as the case holds them."""
    if confirmation is None:
        return []
    return [p for p in case.proceedings if p.id in confirmation.opened_routes]
