"""How a deadline's period reads in its label, in Russian and English.

A rule's label in workflows.yaml names the step only ("Жалоба прокурору"); the period is added
from the rule itself ("Жалоба прокурору (15 дней)"), so label and period cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .spec import Period, Text, Unit

_RUSSIAN = {  # the forms for 1, for 2-4 and for 5 or more: 1 день, 2 дня, 5 дней
    Unit.DAYS: ("день", "дня", "дней"),
    Unit.WORKING_DAYS: ("рабочий день", "рабочих дня", "рабочих дней"),
    Unit.MONTHS: ("месяц", "месяца", "месяцев"),
    Unit.YEARS: ("год", "года", "лет"),
}
_ENGLISH = {
    Unit.DAYS: ("day", "days"),
    Unit.WORKING_DAYS: ("working day", "working days"),
    Unit.MONTHS: ("month", "months"),
    Unit.YEARS: ("year", "years"),
}

# A number followed by a word for a length of time, in either language, e.g. "15 суток",
# "1-year", "2 месяца", "10 рабочих дней", "24 hours", or the file's own shorthand "15d".
_HAND_WRITTEN = re.compile(
    r"\d+(?:\s*\+\s*\d+)?[\s\u00a0-]*(?:(?:рабоч|календарн)\w*\s+|(?:working|calendar)[\s-]+)?"
    r"(?:день|дн[еяи]\w*|сут\w*|недел\w*|месяц\w*|мес\b|год\w*|лет\w*|час\w*"
    r"|days?\b|weeks?\b|months?\b|years?\b|hours?\b)"
    r"|\b\d+(?:wd|d|m|y)\b",
    re.IGNORECASE,
)


def russian_form(amount: int, forms: tuple[str, str, str]) -> str:
    """The form agreeing with `amount`: 1, 21 день; 2, 22 дня; 5, 11, 12 дней."""
    if amount % 10 == 1 and amount % 100 != 11:
        return forms[0]
    if 2 <= amount % 10 <= 4 and not 12 <= amount % 100 <= 14:
        return forms[1]
    return forms[2]


def unit_word(amount: int, unit: Unit, lang: str) -> str:
    """The word for `unit` agreeing with `amount` in `lang` ('ru' or 'en')."""
    if lang == "ru":
        return russian_form(amount, _RUSSIAN[unit])
    singular, plural = _ENGLISH[unit]
    return singular if amount == 1 else plural


def period_text(period: Period, lang: str) -> str:
    """'15 дней', '1 month', '10 рабочих дней'."""
    return f"{period.amount} {unit_word(period.amount, period.unit, lang)}"


_OR = {"ru": "или", "en": "or"}


def counted_text(
    period: Period,
    anchor_offset: Period | None,
    lang: str,
    alternatives: Sequence[Period] = (),
) -> str:
    """What a rule counts from its anchor: '15 дней', '15 + 15 дней', or '15 или 10 дней'."""
    if alternatives:
        return _or_text([period, *alternatives], anchor_offset, lang)
    if anchor_offset is None:
        return period_text(period, lang)
    # calendar.compute_due counts `period` from the day `anchor_offset` after the anchor.
    if anchor_offset.unit is period.unit:
        return f"{anchor_offset.amount} + {period_text(period, lang)}"
    return f"{period_text(anchor_offset, lang)} + {period_text(period, lang)}"


def _or_text(periods: list[Period], anchor_offset: Period | None, lang: str) -> str:
    """An unverified rule's period and its alternatives: '15 или 10 дней', '1 month or 30 days'."""
    last = periods[-1]
    if anchor_offset is None and all(p.unit is last.unit for p in periods):
        amounts = f" {_OR[lang]} ".join(str(p.amount) for p in periods)
        return f"{amounts} {unit_word(last.amount, last.unit, lang)}"
    return f" {_OR[lang]} ".join(counted_text(p, anchor_offset, lang) for p in periods)


def rule_label(
    base: Text,
    period: Period,
    anchor_offset: Period | None = None,
    alternatives: Sequence[Period] = (),
) -> Text:
    """The label a rule shows: its base label followed by the period, in both languages."""
    ru, en = (
        f"({counted_text(period, anchor_offset, lang, alternatives)})" for lang in ("ru", "en")
    )
    return Text(f"{base.ru} {ru}".lstrip(), f"{base.en} {en}".lstrip())


def hand_written_period(text: str) -> str | None:
    """The first period written out in `text` ('15 суток', '1-year'), or None."""
    match = _HAND_WRITTEN.search(text)
    return match.group(0) if match else None
