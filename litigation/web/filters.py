"""Template filters: dates in the reader's locale, labels in the reader's language."""

from __future__ import annotations

import datetime as dt
import numbers

from flask import Flask, g
from flask_babel import format_date, format_decimal, format_number, gettext, ngettext

from ..cases import access
from ..cases.deadlines import rule_of
from ..errors import Msg
from ..registry import current_registry
from ..workflows.spec import Text
from .context import lang
from .vocabulary import calendar_name, jurisdiction_name


def localised(text: Text | None) -> str:
    """A workflows.yaml label or guidance in the reader's language."""
    if text is None:
        return ""
    return text.get(lang())


def human_date(day: dt.date | None, style: str = "medium") -> str:
    """A date as the reader writes it: 07.12.2026 in Russian, Dec 7, 2026 in English."""
    if not day:
        return ""
    if style == "medium" and lang() == "ru":
        style = "short"  # dd.MM.yyyy, as Russian documents and courts write dates
    return format_date(day, style)


def number(value: float | None, digits: int = 1) -> str:
    """A number in the reader's locale: 72,5 in Russian, 72.5 in English; '' for None."""
    if value is None:
        return ""
    if isinstance(value, numbers.Integral):
        return format_decimal(value)
    return format_decimal(round(value, digits), format=f"#,##0.{'#' * digits}")


def days_left(days: int) -> str:
    if days < 0:
        return ngettext("%(num)d day overdue", "%(num)d days overdue", -days)
    if days == 0:
        return gettext("due today")
    return ngettext("%(num)d day left", "%(num)d days left", days)


def period_text(period) -> str:
    """'15d' as '15 days' in the reader's language."""
    unit = getattr(period.unit, "value", period.unit)
    n = period.amount
    if unit == "wd":
        return ngettext("%(num)d working day", "%(num)d working days", n)
    if unit == "m":
        return ngettext("%(num)d month", "%(num)d months", n)
    if unit == "y":
        return ngettext("%(num)d year", "%(num)d years", n)
    return ngettext("%(num)d day", "%(num)d days", n)


def translated(message: str) -> str:
    """A domain message in the reader's language (a plain string passes through)."""
    if isinstance(message, Msg):
        return gettext(message.template, **_params_text(message.params))
    if isinstance(message, Text):  # a message in both languages, from workflows.yaml
        return localised(message)
    return message


# Message values that are codes: a route's id, a jurisdiction's code (Msg params by name).
ROUTE_PARAMS = frozenset({"route"})
JURISDICTION_PARAMS = frozenset({"j", "jurisdiction"})


def _params_text(params: dict) -> dict:
    """A message's values for the reader: labels in their language, dates in their locale,
    routes by title and jurisdictions by name rather than by code."""
    return {name: _param_text(name, value) for name, value in params.items()}


def _param_text(name: str, value):
    if isinstance(value, Text):
        return localised(value)
    if isinstance(value, dt.date):
        return human_date(value)
    if name in ROUTE_PARAMS and isinstance(value, str):
        route = current_registry().workflows.routes.get(value)
        return localised(route.title) if route else value
    if name in JURISDICTION_PARAMS and isinstance(value, str):
        return jurisdiction_name(value)
    return value


def error_text(error) -> str:
    """What went wrong, for a flash message, in the reader's language."""
    if getattr(error, "texts", None):
        return " ".join(localised(text) for text in error.texts)
    if getattr(error, "reasons", None):
        return " ".join(translated(reason) for reason in error.reasons)
    return translated(error.message)


def fact_text(name: str, value) -> str:
    """A recorded fact as the reader should see it: choice labels, dates in their locale."""
    from ..registry import current_registry

    spec = current_registry().workflows.facts.get(name)
    if spec is None:
        return str(value)
    if spec.choices:
        return spec.choice_label(value, lang())
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return human_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["t"] = localised
    app.jinja_env.filters["date"] = human_date
    app.jinja_env.filters["days_left"] = days_left
    app.jinja_env.filters["period"] = period_text
    app.jinja_env.filters["number"] = format_number  # 5 000 in Russian, 5,000 in English
    app.jinja_env.filters["tr"] = translated
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["jurisdiction"] = jurisdiction_name
    app.jinja_env.filters["calendar"] = calendar_name
    app.jinja_env.globals["has_endpoint"] = has_endpoint
    app.jinja_env.globals["rule_label"] = rule_label
    app.jinja_env.globals["party_text"] = party_text
    app.jinja_env.globals["fact_text"] = fact_text
    app.jinja_env.globals["basis_text"] = basis_text
    app.jinja_env.globals["latest_text"] = latest_text
    app.jinja_env.globals["provisional_text"] = provisional_text
    app.jinja_env.globals["source_text"] = source_text
    app.jinja_env.globals["access"] = access  # templates ask access questions, never roles


def party_text(party: str) -> str:
    """Who must act on a deadline, in the reader's language: our side, the State, a court…"""
    from .forms import PARTIES  # forms reads this module's `translated`

    return str(PARTIES.get(party, party))


def has_endpoint(name: str) -> bool:
    """Whether a page exists (templates link to areas only once they are built)."""
    from flask import current_app

    return name in current_app.view_functions


def _rule(deadline):
    """The deadline's rule version; its fingerprints are hashed once per request, not once per
    deadline and question (label, basis, source), since hashing a rule's spec is costly."""
    fingerprints = g.setdefault("rule_fingerprints", {})
    return rule_of(current_registry().workflows, deadline, fingerprints)


def rule_label(deadline) -> str:
    """The reader-language label of the rule version a stored deadline came from."""
    rule = _rule(deadline)
    return localised(rule.label) if rule else deadline.rule


def basis_text(deadline) -> str:
    """The legal basis of a stored deadline in the reader's language."""
    rule = _rule(deadline)
    if rule is not None:
        return localised(rule.legal_basis)
    return (deadline.legal_basis_en if lang() == "en" else None) or deadline.legal_basis


def latest_text(deadline) -> str:
    """'It could be as late as …' for an unverified rule with alternatives; else ''."""
    if not deadline.latest_due or deadline.latest_due <= deadline.due_date:
        return ""
    return gettext(
        "The law may allow until %(date)s, but this rule is unverified: act by the earlier date.",
        date=human_date(deadline.latest_due),
    )


def source_text(deadline) -> str:
    """Where an unverified rule's period comes from, and what else the law may say."""
    rule = _rule(deadline)
    if rule is None or rule.verified:
        return ""
    parts = [localised(rule.copied_from)] if rule.copied_from else []
    parts.extend(
        gettext(
            "Possible: %(period)s (%(why)s).",
            period=period_text(alt.period),
            why=localised(alt.reason),
        )
        for alt in rule.alternatives
    )
    return " ".join(parts)


def _holiday_name(calendar_id: str, reason: dict) -> str:
    """A holiday's name in the reader's language, without "(estimated)": the sentence says so."""
    from .holiday_names import holiday_name

    english = reason.get("holiday") or "?"
    spec = current_registry().workflows.calendars.get(calendar_id)
    if spec is None or not reason.get("day"):
        return english
    return holiday_name(spec.country, dt.date.fromisoformat(reason["day"]), english, marks=False)


def provisional_text(deadline) -> str:
    """Why a stored date may still move, in the reader's language; '' when it is firm."""
    reasons = []
    for reason in deadline.provisional or ():
        if reason.get("kind") == "estimated_holiday":
            reasons.append(
                gettext(
                    "the date of %(holiday)s in %(year)s is an estimate",
                    holiday=_holiday_name(deadline.calendar, reason),
                    year=reason.get("year"),
                )
            )
        else:
            reasons.append(
                gettext(
                    "no Government decree on days off for %(year)s is known yet",
                    year=reason.get("year"),
                )
            )
    if not reasons:
        return ""
    return gettext(
        "Provisional: %(why)s; the date may move if the Government decrees a transfer.",
        why="; ".join(dict.fromkeys(reasons)),
    )
