"""Public holidays and days off in the reader's language.

The calendars speak English (the `holidays` package's names, the reasons of
workflows/calendar.py). The package names Tajik holidays in Russian too, but Kazakh ones only
in Kazakh and English: the Russian names of the Law of the RK "On holidays in the Republic of
Kazakhstan" (13 Dec 2001 No. 267-II, arts 1-2) fill the gap.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import holidays
from flask_babel import format_date, gettext

from ..workflows.calendar import WorkingCalendar
from ..workflows.holiday_rules import CONFIRMED, is_estimated, is_observed
from ..workflows.holiday_rules import holiday_name as bare_name
from .context import lang
from .filters import human_date

KZ_RUSSIAN = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Capital Day": "День Столицы",
    "Eid al-Adha": "Курбан айт",
    "Constitution Day": "День Конституции Республики Казахстан",
    "Republic Day": "День Республики",
    "First President Day": "День Первого Президента Республики Казахстан",
    "Independence Day": "День Независимости",
}
SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)$")


@functools.cache
def _package_russian(country: str, year: int) -> dict[str, str]:
    """The package's English names of a year's holidays with its Russian ones, if it has them."""
    try:
        english = holidays.country_holidays(country, years=year, language="en_US")
        russian = holidays.country_holidays(country, years=year, language="ru")
    except (NotImplementedError, KeyError):
        return {}
    if "ru" not in getattr(russian, "supported_languages", ()):
        return {}
    names: dict[str, str] = {}
    for day in english:
        names.update(zip(english.get_list(day), russian.get_list(day), strict=False))
    return {bare_name(name): bare_russian(text) for name, text in names.items()}


def bare_russian(name: str) -> str:
    """A Russian name of the package without its label ("(приблизительная дата)")."""
    return re.sub(r" \([^)]*\)$", "", name)


def russian_name(country: str | None, year: int, name: str) -> str | None:
    """The Russian name of a holiday (its package name without label), where one is known."""
    if country == "KZ" and name in KZ_RUSSIAN:
        return KZ_RUSSIAN[name]
    return _package_russian(country, year).get(name) if country else None


def holiday_name(country: str | None, day: dt.date, english: str, *, marks: bool = True) -> str:
    """A holiday of the package in the reader's language; `marks`: say "estimated date" and
    "moved off a weekend" as the package does."""
    swap = SUBSTITUTED.match(english)
    if swap:  # a government decree moved a day off here from a weekend day
        worked = dt.date(int(swap[3]), int(swap[1]), int(swap[2]))
        return gettext("day off in exchange for working on %(day)s", day=human_date(worked))
    if lang() == "en":
        return english if marks else bare_name(english)
    base = bare_name(english)
    name = russian_name(country, day.year, base) or base
    if not marks:
        return name
    labels = (
        (is_observed(english), gettext("(moved off a weekend)")),
        (is_estimated(english), gettext("(estimated date)")),
        (english.endswith(CONFIRMED), gettext("(date confirmed)")),
    )
    return " ".join([name, *(label for applies, label in labels if applies)])


def non_working_text(calendar: WorkingCalendar, day: dt.date, english: str) -> str:
    """Why `day` is not a working day, in the reader's language (`english`: the calendar's)."""
    if lang() == "en":
        return english
    spec = calendar.spec
    reasons = []
    if day.isoweekday() in spec.weekend:
        reasons.append(format_date(day, "EEEE"))
    if any(extra.date == day for extra in spec.extra_days_off):
        reasons.append(gettext("a day off by Government decree"))
    for name in calendar.holidays_of(day.year).get(day, ()):
        text = holiday_name(spec.country, day, name)
        reasons.append(text if SUBSTITUTED.match(name) else gettext("holiday: %(name)s", name=text))
    transfer = calendar.transfers_of(day.year).get(day)
    if transfer is not None:
        names = ", ".join(holiday_name(spec.country, day, n, marks=False) for n in transfer.names)
        reasons.append(
            gettext(
                "a day off for %(holiday)s, which fell on a weekend day (%(day)s)",
                holiday=names,
                day=human_date(transfer.origin),
            )
        )
    return "; ".join(reasons) or english
