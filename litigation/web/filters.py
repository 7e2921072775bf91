"""Template filters: dates in the reader's locale, labels in the reader's language."""

from __future__ import annotations

import datetime as dt

from flask import Flask, g
from flask_babel import format_date, ngettext

from ..workflows.spec import Text


def localised(text: Text | None) -> str:
    """A workflows.yaml label or guidance in the reader's language."""
    if text is None:
        return ""
    return text.get(getattr(g, "lang", "ru"))


def human_date(day: dt.date | None, style: str = "medium") -> str:
    return format_date(day, style) if day else ""


def days_left(days: int) -> str:
    if days < 0:
        return ngettext("%(num)d day overdue", "%(num)d days overdue", -days)
    if days == 0:
        return ngettext("due today", "due today", 1)
    return ngettext("%(num)d day left", "%(num)d days left", days)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["t"] = localised
    app.jinja_env.filters["date"] = human_date
    app.jinja_env.filters["days_left"] = days_left
    app.jinja_env.globals["has_endpoint"] = has_endpoint
    app.jinja_env.globals["rule_label"] = rule_label


def has_endpoint(name: str) -> bool:
    """Whether a page exists (templates link to areas only once they are built)."""
    from flask import current_app

    return name in current_app.view_functions


def rule_label(route, deadline) -> str:
    """The reader-language label of the rule a stored deadline came from."""
    if route.has_stage(deadline.stage):
        for rule in route.stage(deadline.stage).deadlines:
            if rule.name == deadline.rule:
                return localised(rule.label)
    return deadline.rule
