"""Working-day calendars in the reader's language: their names, holiday names, and why a day
is not a working day, with dates as the reader writes them (never ISO).

The `holidays` package names Tajikistan's holidays in Russian but Kazakhstan's only in
English and Kazakh, so Kazakhstan's official Russian names are listed here. A name known in
neither way is shown as the package gives it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..registry import current_registry
from ..workflows.calendar import DayOff
from ..workflows.holiday_rules import holiday_name, is_estimated, is_observed
from .context import lang
from .holiday_names import russian_name

COUNTRIES = {"KZ": _l("Kazakhstan"), "TJ": _l("Tajikistan")}


def calendar_label(calendar_id: str) -> str:
    """A calendar as the reader knows it: its country, or what counting without one means."""
    spec = current_registry().workflows.calendars.get(calendar_id)
    if spec is None:
        return calendar_id
    if spec.country is None:
        if spec.weekend:
            return _("Weekends only, no public holidays")
        return _("Calendar days: nothing moves (UN procedures)")
    country = COUNTRIES.get(spec.country)
    if country is None:
        return calendar_id
    return _("%(country)s: working days and public holidays", country=country)


def local_holiday(country: str | None, name: str, year: int) -> str:
    """A holiday's name without its package label, in the reader's language when known."""
    plain = holiday_name(name)
    if lang() != "ru" or not country:
        return plain
    return russian_name(country, year, plain) or plain


def _day(day: dt.date) -> str:
    return format_date(day, "full")


def _holiday(reason: DayOff, country: str | None, year: int) -> str:
    name = local_holiday(country, reason.name, year)
    if is_observed(reason.name):
        return _("day off for %(holiday)s, which fell on a weekend day", holiday=name)
    if is_estimated(reason.name):
        return _("public holiday: %(holiday)s (its date is an estimate)", holiday=name)
    if reason.name.endswith(" (confirmed)"):
        return _("public holiday: %(holiday)s (date officially announced)", holiday=name)
    return _("public holiday: %(holiday)s", holiday=name)


def _transfer(reason: DayOff, country: str | None) -> str:
    origin = reason.other_day
    names = [local_holiday(country, name, origin.year) for name in reason.names]
    # The citation in the reader's language where the calendar gives it (workflows.yaml).
    cited = reason.basis_ru if lang() == "ru" and reason.basis_ru else reason.basis
    basis = cited if reason.verified else _("%(basis)s, unverified", basis=cited)
    return _(
        "day off for %(holidays)s, which fell on a weekend day, %(day)s (%(basis)s)",
        holidays=", ".join(dict.fromkeys(names)),
        day=_day(origin),
        basis=basis,
    )


def day_off_text(reasons: Sequence[DayOff], day: dt.date, calendar_id: str) -> str:
    """Why `day` is not a working day, in the reader's language."""
    spec = current_registry().workflows.calendars.get(calendar_id)
    country = spec.country if spec else None
    parts = []
    for reason in reasons:
        if reason.kind == "weekend":
            parts.append(_("weekend day (%(weekday)s)", weekday=format_date(day, "EEEE")))
        elif reason.kind == "decreed":
            text = _("day off by a Government decree")
            # The decree's own words are in workflows.yaml in English only.
            parts.append(f"{text}: {reason.name}" if lang() == "en" and reason.name else text)
        elif reason.kind == "swap":
            parts.append(
                _(
                    "day off by a Government decree, in exchange for working on %(day)s",
                    day=_day(reason.other_day),
                )
            )
        elif reason.kind == "transfer":
            parts.append(_transfer(reason, country))
        else:
            parts.append(_holiday(reason, country, day.year))
    return "; ".join(parts)


__all__ = ["calendar_label", "day_off_text", "local_holiday"]
