"""The menu at the top of every page: the areas a user may open, the current one marked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..cases import access
from .filters import has_endpoint


@dataclass(frozen=True)
class Item:
    endpoint: str
    label: str
    areas: tuple[str, ...]  # the blueprints whose pages belong to this item
    allowed: Callable | None = None  # an access question; None: everyone signed in


# The pages of one case (its people, steps, hearings...) belong to Cases.
CASE_AREAS = (
    "cases",
    "survivors",
    "proceedings",
    "history",
    "contacts",
    "examinations",
    "hearings",
)
ITEMS = (
    Item("home.mine", _l("My work"), ("home",)),
    Item("cases.index", _l("Cases"), CASE_AREAS),
    Item("routes.index", _l("Routes"), ("routes",)),
    Item("calculator.index", _l("Calculator"), ("calculator",)),
    Item("feeds.index", _l("Calendars"), ("feeds",)),
    Item("notifications.settings", _l("E-mail"), ("notifications",)),
    Item("admin.users", _l("Users"), ("admin",), access.can_manage),
    Item("audit.index", _l("Audit trail"), ("audit",), access.can_read_audit),
    Item("dashboard.index", _l("Dashboard"), ("dashboard",), access.can_see_dashboard),
)


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    current: str | None  # aria-current: "page" on the page itself, "true" within its area


def menu_links() -> list[Link]:
    """The signed-in user's menu, with the current page or area marked."""
    return [
        Link(url_for(item.endpoint), str(item.label), _current(item))
        for item in ITEMS
        if has_endpoint(item.endpoint) and (item.allowed is None or item.allowed(current_user))
    ]


def _current(item: Item) -> str | None:
    if request.endpoint == item.endpoint or (
        item.endpoint == "home.mine" and request.endpoint == "home.index"
    ):
        return "page"
    return "true" if request.blueprint in item.areas else None


def init_app(app: Flask) -> None:
    app.jinja_env.globals["menu_links"] = menu_links
