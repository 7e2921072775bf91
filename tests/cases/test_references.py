"""The next case reference, following the organisation's pattern: the highest number of the
jurisdiction and year, plus one; other years, jurisdictions and shapes do not count."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.cases import open_case
from litigation.cases.references import next_number, suggest_reference
from litigation.db import db


@pytest.mark.parametrize(
    ("references", "expected"),
    [
        ([], 1),
        (["KZ-2026-001", "KZ-2026-012", "KZ-2026-007"], 13),
        (["KZ-2026-9"], 10),  # typed without the zeros
        (["KZ-2025-099", "TJ-2026-050", "KZ-2026-01a", "XKZ-2026-040", "KZ-2026-040b"], 1),
    ],
)
def test_the_next_number_follows_the_highest_of_the_same_shape(references, expected):
    assert next_number(references, "KZ-2026-", "") == expected


def _case(reference: str, jurisdiction: str = "KZ") -> None:
    open_case(
        reference=reference,
        jurisdiction=jurisdiction,
        opened_on=dt.date(2026, 1, 10),
        survivor_name="Тест",
    )


def test_a_suggestion_counts_every_case_of_the_jurisdiction_and_year(app):
    for reference in ("KZ-2026-012", "KZ-2026-007", "KZ-2025-099", "TJ-2026-003"):
        _case(reference, reference[:2])
    db.session.commit()

    assert suggest_reference("KZ", 2026) == "KZ-2026-013"
    assert suggest_reference("TJ", 2026) == "TJ-2026-004"
    assert suggest_reference("KZ", 2027) == "KZ-2027-001"


def test_another_pattern_is_followed(app):
    _case("2026/KZ/41")
    db.session.commit()

    assert suggest_reference("KZ", 2026, "{year}/{jurisdiction}/{number}") == "2026/KZ/42"
    assert suggest_reference("KZ", 2026, "Дело {jurisdiction}-{number:04d}/{year}") == (
        "Дело KZ-0001/2026"
    )


@pytest.mark.parametrize(
    "pattern", ["{jurisdiction}-{year}", "{number}-{number}", "{who}-{number}", "{number:q}", "{"]
)
def test_a_pattern_that_cannot_number_cases_suggests_nothing(app, pattern):
    assert suggest_reference("KZ", 2026, pattern) == ""
