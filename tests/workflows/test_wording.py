"""The period text added to every deadline label, and spotting one written by hand."""

from __future__ import annotations

import pytest

from litigation.workflows.spec import Period, Text
from litigation.workflows.wording import (
    counted_text,
    hand_written_period,
    period_text,
    rule_label,
)

PERIODS = [
    ("1d", "1 день", "1 day"),
    ("2d", "2 дня", "2 days"),
    ("4d", "4 дня", "4 days"),
    ("5d", "5 дней", "5 days"),
    ("11d", "11 дней", "11 days"),
    ("12d", "12 дней", "12 days"),
    ("14d", "14 дней", "14 days"),
    ("15d", "15 дней", "15 days"),
    ("21d", "21 день", "21 days"),
    ("22d", "22 дня", "22 days"),
    ("25d", "25 дней", "25 days"),
    ("111d", "111 дней", "111 days"),
    ("180d", "180 дней", "180 days"),
    ("1wd", "1 рабочий день", "1 working day"),
    ("3wd", "3 рабочих дня", "3 working days"),
    ("10wd", "10 рабочих дней", "10 working days"),
    ("21wd", "21 рабочий день", "21 working days"),
    ("1m", "1 месяц", "1 month"),
    ("2m", "2 месяца", "2 months"),
    ("5m", "5 месяцев", "5 months"),
    ("12m", "12 месяцев", "12 months"),
    ("1y", "1 год", "1 year"),
    ("2y", "2 года", "2 years"),
    ("3y", "3 года", "3 years"),
    ("5y", "5 лет", "5 years"),
    ("11y", "11 лет", "11 years"),
    ("21y", "21 год", "21 years"),
]


@pytest.mark.parametrize(("period", "ru", "en"), PERIODS)
def test_a_period_reads_with_the_right_word_form(period: str, ru: str, en: str) -> None:
    assert period_text(Period.parse(period), "ru") == ru
    assert period_text(Period.parse(period), "en") == en


@pytest.mark.parametrize(
    ("offset", "period", "ru", "en"),
    [
        (None, "15d", "15 дней", "15 days"),
        # KZ CPC art. 106(5)(c): 15 days once 15 days have passed since the filing.
        ("15d", "15d", "15 + 15 дней", "15 + 15 days"),
        ("15d", "1d", "15 + 1 день", "15 + 1 day"),
        ("60d", "1m", "60 дней + 1 месяц", "60 days + 1 month"),
        ("2wd", "3d", "2 рабочих дня + 3 дня", "2 working days + 3 days"),
    ],
)
def test_an_offset_period_reads_as_what_is_counted(
    offset: str | None, period: str, ru: str, en: str
) -> None:
    anchor_offset = Period.parse(offset) if offset else None

    assert counted_text(Period.parse(period), anchor_offset, "ru") == ru
    assert counted_text(Period.parse(period), anchor_offset, "en") == en


def test_a_rule_label_is_the_base_label_and_the_period() -> None:
    base = Text("Жалоба судье, если прокурор не ответил", "Complaint if no reply")

    assert rule_label(base, Period.parse("15d"), Period.parse("15d")) == Text(
        "Жалоба судье, если прокурор не ответил (15 + 15 дней)",
        "Complaint if no reply (15 + 15 days)",
    )


@pytest.mark.parametrize(
    ("label", "written"),
    [
        ("Жалоба (15 суток с ознакомления)", "15 суток"),
        ("Ответ правительства (60 дней + 1 месяц)", "60 дней"),
        ("15 + 15 суток", "15 + 15 суток"),
        ("Надзорная жалоба (ориентир 1 год)", "1 год"),
        ("Подача в течение 5 лет", "5 лет"),
        ("Частная жалоба (10 рабочих дней)", "10 рабочих дней"),
        ("Срок 2 мес.", "2 мес"),
        ("Регистрация (24 часа)", "24 часа"),
        ("Supervisory petition (1-year reminder)", "1-year"),
        ("Appeal (1 month, unverified)", "1 month"),
        ("Private complaint (10 working days)", "10 working days"),
        ("Within 2 weeks", "2 weeks"),
        ("Appeal (15d)", "15d"),
    ],
)
def test_a_period_written_by_hand_is_found(label: str, written: str) -> None:
    assert hand_written_period(label) == written


@pytest.mark.parametrize(
    "label",
    [
        "Жалоба прокурору (ст. 105)",
        "Подача в КПЧ после окончательного решения",
        "HRC rule 99(c)",
        "CCPR/C/3/Rev.11",
        "Решение до 31 декабря",
        "Complaint to the prosecutor (art. 105)",
    ],
)
def test_a_label_without_a_period_passes(label: str) -> None:
    assert hand_written_period(label) is None


@pytest.mark.parametrize(
    ("period", "alternatives", "offset", "ru", "en"),
    [
        # The Tajik appeal: 15 days unverified, 10 days (сутки) possible.
        ("15d", ["10d"], None, "15 или 10 дней", "15 or 10 days"),
        ("3d", ["10d"], None, "3 или 10 дней", "3 or 10 days"),
        ("20d", ["21d"], None, "20 или 21 день", "20 or 21 days"),
        ("1m", ["30d"], None, "1 месяц или 30 дней", "1 month or 30 days"),
        ("15d", ["10d"], "15d", "15 + 15 дней или 15 + 10 дней", "15 + 15 days or 15 + 10 days"),
    ],
)
def test_an_unverified_rule_shows_its_alternatives(
    period: str, alternatives: list[str], offset: str | None, ru: str, en: str
) -> None:
    others = [Period.parse(p) for p in alternatives]
    anchor_offset = Period.parse(offset) if offset else None

    assert counted_text(Period.parse(period), anchor_offset, "ru", others) == ru
    assert counted_text(Period.parse(period), anchor_offset, "en", others) == en
    assert rule_label(Text("Жалоба", "Appeal"), Period.parse(period), anchor_offset, others) == (
        Text(f"Жалоба ({ru})", f"Appeal ({en})")
    )
