"""A broken `calendars:` section is refused with every problem at its line, never a traceback
later when a date is counted."""

from __future__ import annotations

import textwrap

import pytest

from litigation.workflows.loader import check_file

KEYS = "applied_by, legal_basis, moves_to, note, source, verified"


def problems_of(tmp_path, calendars: str) -> list[str]:
    """'line: message' of each problem in a file whose calendars (from line 3) are given."""
    body = textwrap.indent(textwrap.dedent(calendars), "  ")
    path = tmp_path / "workflows.yaml"
    path.write_text(f"version: 1\ncalendars:\n{body}facts: {{}}\nroutes: {{}}\n", encoding="utf-8")
    problems = check_file(path)
    assert all(problem.file == str(path) for problem in problems)
    return [f"{problem.line}: {problem.message}" for problem in problems]


CASES = [
    pytest.param(
        """\
        XX:
          holidays: XY
          weekend: [sat, sun]
        """,
        [
            "4: calendars.XX.holidays: 'XY' is not a country code of the holidays package "
            "(e.g. KZ, TJ; or null for a calendar without holidays)",
        ],
        id="unknown-country",
    ),
    pytest.param(
        """\
        KZ:
          holidays: KZ
          weekend: [sat, sun]
          extra_days_off:
            - {date: 1899-12-31, reason: x}
          extra_working_days:
            - {date: 2201-01-03, reason: x}
          confirmed_holidays:
            - {holiday: Eid al-Adha, date: 1850-06-01, source: x}
          decrees: {confirmed_years: [2016, 2300, 2016, "2017"], source: x}
        """,
        [
            "7: calendars.KZ.extra_days_off[]: 1899-12-31 is outside 1900-2200",
            "9: calendars.KZ.extra_working_days[]: 2201-01-03 is outside 1900-2200",
            "11: calendars.KZ.confirmed_holidays[]: 1850-06-01 is outside 1900-2200",
            "12: calendars.KZ.decrees.confirmed_years: '2017' is not a year",
            "12: calendars.KZ.decrees.confirmed_years: 2016 is listed twice",
            "12: calendars.KZ.decrees.confirmed_years: 2300 is outside 1900-2200",
        ],
        id="overlay-dates-out-of-range",
    ),
    pytest.param(
        """\
        TJ:
          holidays: TJ
          weekend: [sat, sun]
          weekend_holidays:
            moves_to: previous_day
            applied_by: nobody
            legal_basis: art. 3
            verified: maybe
            sorce: x
        """,
        [
            "7: calendars.TJ.weekend_holidays.moves_to: 'previous_day' is not one of: "
            "next_working_day, none",
            "7: calendars.TJ.weekend_holidays: missing 'source'",
            "8: calendars.TJ.weekend_holidays.applied_by: 'nobody' is not one of: "
            "calendar, holidays_package",
            "10: calendars.TJ.weekend_holidays.verified must be true or false",
            "11: calendars.TJ.weekend_holidays: unknown key 'sorce', did you mean 'source'? "
            f"(expected one of: {KEYS})",
        ],
        id="weekend-rule-unknown-keys-and-values",
    ),
    pytest.param(
        """\
        TJ:
          holidays: TJ
          weekend: [sat, sun]
          weekend_holidays: {moves_to: next_working_day, source: y}
        TJ2:
          holidays: TJ
          weekend: [sat, sun]
          weekend_holidays: {source: y}
        """,
        [
            "6: calendars.TJ.weekend_holidays: missing 'legal_basis' (cite the article)",
            "10: calendars.TJ2.weekend_holidays: missing 'moves_to'",
        ],
        id="weekend-rule-missing-keys",
    ),
    pytest.param(
        """\
        KZ:
          holidays: KZ
          weekend: [sat, sun]
          weekend_holidays:
            moves_to: next_working_day
            applied_by: calendar
            legal_basis: Law
            source: x
        TJ:
          holidays: TJ
          weekend: [sat, sun]
          weekend_holidays: {moves_to: next_working_day, applied_by: holidays_package,
                             legal_basis: x, source: y}
        """,
        [
            "7: calendar 'KZ': the holidays package already moves KZ holidays off weekends "
            '("observed" days); write applied_by: holidays_package, or each is moved twice',
            "14: calendar 'TJ': the holidays package does not move TJ holidays off weekends; "
            "write applied_by: calendar",
        ],
        id="weekend-rule-applied-twice-or-never",
    ),
    pytest.param(
        """\
        KZ:
          holidays: KZ
          weekend: [sat, sun]
          extra_days_off: [{date: 2026-03-18, reason: a}]
          extra_working_days: [{date: 2026-03-18, reason: b}]
          confirmed_holidays: [{holiday: Kurban Ait, date: 2026-05-27, source: x}]
        none:
          holidays: null
          weekend: []
          weekend_holidays: {moves_to: next_working_day, legal_basis: x, source: y}
        """,
        [
            "3: calendar 'KZ' lists 2026-03-18 both as a day off and as a working day",
            "3: calendar 'KZ': confirmed holiday 'Kurban Ait' (2026-05-27) is not a holiday "
            "the holidays package has for KZ in 2026",
            "9: calendar 'none' has no holidays: weekend_holidays and confirmed_holidays "
            "do not apply",
        ],
        id="clash-unknown-holiday-name-rule-without-holidays",
    ),
    pytest.param(
        """\
        KZ:
          holidays: KZ
          weekend: [sat, sun]
          decrees: {confirmed_years: 2016, sources: x}
        TJ:
          holidays: TJ
          weekend: [sat, sun]
          decrees: {source: x}
        """,
        [
            "6: calendars.KZ.decrees.confirmed_years must be a list of years",
            "6: calendars.KZ.decrees: missing 'source'",
            "6: calendars.KZ.decrees: unknown key 'sources', did you mean 'source'? "
            "(expected one of: confirmed_years, note, source, verified)",
            "10: calendars.TJ.decrees: missing 'confirmed_years'",
        ],
        id="decrees",
    ),
]


CASES.append(
    pytest.param(
        """\
        KZ:
          holidays: KZ
          weekend: [sat, sun]
          extra_days_off:
            - {date: "1.3.2026", reason: x}
            - {reason: x}
        """,
        [
            "7: calendars.KZ.extra_days_off[].date: '1.3.2026' is not a date",
            "8: calendars.KZ.extra_days_off[]: missing 'date'",
        ],
        id="overlay-date-not-a-date-or-missing",
    )
)


@pytest.mark.parametrize(("calendars", "expected"), CASES)
def test_calendar_problems_are_reported_with_their_line(tmp_path, calendars, expected):
    assert problems_of(tmp_path, calendars) == expected


def test_an_impossible_date_is_a_problem_not_a_traceback(tmp_path):
    calendars = """\
        KZ:
          holidays: KZ
          weekend: [sat, sun]
          extra_days_off: [{date: 2026-02-30, reason: x}]
        """
    assert problems_of(tmp_path, calendars)[0].startswith("6: ")
