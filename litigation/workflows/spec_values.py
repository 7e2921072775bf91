"""The value types of the spec: units, kinds, parties, fact types, periods and texts.

Kept apart from spec.py so that it stays readable; spec.py exports every name defined here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    DAYS = "d"
    WORKING_DAYS = "wd"
    MONTHS = "m"
    YEARS = "y"


class Kind(StrEnum):
    HARD = "hard"
    WARNING = "warning"


class Party(StrEnum):
    US = "us"
    STATE = "state"
    COURT = "court"
    COMMITTEE = "committee"


class FactType(StrEnum):
    DATE = "date"
    TEXT = "text"
    BOOL = "bool"
    CHOICE = "choice"


_PERIOD_RE = re.compile(r"^\s*(\d+)\s*(wd|d|m|y)\s*$")
# No time limit in these routes runs for 100 years; a longer one is a typo ('1300m' for '13m')
# and would only overflow the date arithmetic. 26100 working days: 100 years of 261.
MAX_AMOUNT = {"d": 36525, "wd": 26100, "m": 1200, "y": 100}


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse '15d', '10wd', '6m' or '5y'; raise ValueError otherwise."""
        text = str(text)
        match = _PERIOD_RE.match(text)
        if len(text) > 40:  # a message quoting thousands of digits helps nobody
            text = f"{text[:20]}...{text[-5:]}"
        if not match:
            raise ValueError(
                f"period {text!r} is not a number followed by d, wd, m or y "
                "(e.g. 15d, 10wd, 6m, 5y)"
            )
        digits, unit = match.group(1).lstrip("0") or "0", match.group(2)
        if digits == "0":
            raise ValueError(f"period {text!r} must be longer than zero")
        # Compare the digits before int(): Python refuses to convert thousands of them.
        if len(digits) > len(str(MAX_AMOUNT[unit])) or int(digits) > MAX_AMOUNT[unit]:
            limits = ", ".join(f"{most}{name}" for name, most in MAX_AMOUNT.items())
            raise ValueError(f"period {text!r} is longer than 100 years (at most {limits})")
        return cls(int(digits), Unit(unit))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"


@dataclass(frozen=True)
class Text:
    """A label or guidance in every interface language."""

    ru: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to Russian then English."""
        return getattr(self, lang, None) or self.ru or self.en
