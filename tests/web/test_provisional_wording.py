"""Why a date is provisional reads in the reader's language, holiday names included."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import g
from flask_babel import force_locale

from litigation.web.filters import provisional_text

EID_2027 = {
    "kind": "estimated_holiday",
    "year": 2027,
    "day": "2027-03-09",
    "holiday": "Eid al-Fitr",
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Предварительно: дата праздника «Ураза-байрам» в 2027 году — оценка;"),
        ("en", "Provisional: the date of Eid al-Fitr in 2027 is an estimate;"),
    ],
)
def test_an_estimated_holiday_is_named_in_the_reader_s_language(app, language, expected):
    deadline = SimpleNamespace(calendar="TJ", provisional=[EID_2027])
    with app.test_request_context(), force_locale(language):
        g.lang = language
        assert provisional_text(deadline).startswith(expected)


def test_a_kazakh_holiday_is_named_in_russian_though_the_package_has_no_russian(app):
    kurban = {**EID_2027, "day": "2027-05-17", "holiday": "Eid al-Adha"}
    deadline = SimpleNamespace(calendar="KZ", provisional=[kurban])
    with app.test_request_context(), force_locale("ru"):
        g.lang = "ru"
        assert provisional_text(deadline).startswith(
            "Предварительно: дата праздника «Курбан айт» в 2027 году — оценка;"
        )


def test_a_firm_date_says_nothing(app):
    with app.test_request_context():
        g.lang = "ru"
        assert provisional_text(SimpleNamespace(calendar="KZ", provisional=None)) == ""
