"""`litigation audit`: the trail on the server's terminal, newest first, filtered, or as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest

from litigation.audit import record
from litigation.db import db
from litigation.models import AuditKind, Role

ALMATY = ZoneInfo("Asia/Almaty")


def at(day: str, time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=ALMATY)


@pytest.fixture
def trail(mini_app, mini_registry, create_user_, create_case):
    """Entries of two people on two cases in 2001 (before anything the setup records)."""
    first = create_user_(Role.LAWYER, email="first@example.org")
    other = create_user_(Role.COORDINATOR, email="other@example.org")
    facts = {"reported_on": dt.date(2026, 1, 12)}
    one, _ = create_case(mini_registry, "domestic", team=[first], facts=facts)
    two, _ = create_case(mini_registry, "domestic", team=[first], facts=facts)
    edited = {"authority": [None, "ДВД"]}
    record(AuditKind.CASE_EDITED, actor=first, case=one, details=edited, at=at("2001-02-01"))
    record(
        AuditKind.STEP, actor=other, case=two, details={"trigger": "decide"}, at=at("2001-03-01")
    )
    record(AuditKind.DOWNLOAD, actor=other, details={"what": "=cmd"}, at=at("2001-04-15"))
    db.session.commit()
    return {"first": first, "other": other, "one": one, "two": two}


def local(day: str) -> str:
    """Noon of `day` as the command prints it: Almaty's time with its offset of that day."""
    return at(day).isoformat(sep=" ")


def audit(app, *args: str):
    return app.test_cli_runner().invoke(args=["audit", *args])


def kinds(output: str) -> list[str]:
    return [line.split("  ")[2] for line in output.splitlines() if not line.startswith("(")]


def test_the_trail_is_printed_newest_first_with_people_and_cases(mini_app, trail):
    result = audit(mini_app, "--until", "2001-12-31")

    assert result.exit_code == 0, result.output
    april, march, february = (local(day) for day in ("2001-04-15", "2001-03-01", "2001-02-01"))
    assert april == "2001-04-15 12:00:00+07:00"  # summer time in Almaty until 2005
    assert result.output.splitlines() == [
        f'{april}  other@example.org  download  -  -  {{"what": "=cmd"}}',
        f'{march}  other@example.org  step  T-0002  -  {{"trigger": "decide"}}',
        f"{february}  first@example.org  case_edited  T-0001  -  "
        + json.dumps({"authority": [None, "ДВД"]}, ensure_ascii=False),
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--user", "OTHER@example.org"], ["download", "step"]),
        (["--case", "T-0001"], ["case_edited"]),
        (["--kind", "step", "--kind", "case_edited"], ["step", "case_edited"]),
        (["--since", "2001-03-01"], ["download", "step"]),
        (["--since", "2001-02-01", "--until", "2001-03-01"], ["step", "case_edited"]),
        (["--limit", "2"], ["download", "step"]),
    ],
)
def test_each_option_narrows_the_trail(mini_app, trail, args, expected):
    result = audit(mini_app, *args, *([] if "--until" in args else ["--until", "2001-12-31"]))

    assert result.exit_code == 0, result.output
    assert kinds(result.output) == expected


def test_a_longer_trail_says_how_much_more_there_is(mini_app, trail):
    result = audit(mini_app, "--limit", "1")

    assert result.output.splitlines()[-1].startswith("(1 of ")
    assert "--limit for more" in result.output


def test_csv_goes_to_standard_output_safe_for_spreadsheets(mini_app, trail):
    result = audit(mini_app, "--csv", "--kind", "download")

    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows == [
        ["time", "who", "kind", "case", "account", "details"],
        [local("2001-04-15"), "other@example.org", "download", "", "", '{"what": "=cmd"}'],
    ]
    assert result.output.startswith('"time","who"')  # every cell quoted


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody@example.org"], "no user has the e-mail nobody@example.org."),
        (["--case", "NO-SUCH"], "no case has the reference NO-SUCH."),
        (["--kind", "deleted"], "'deleted' is not one of"),
        (["--since", "2001-02-30"], "'2001-02-30' is not a date (YYYY-MM-DD)."),
        (["--until", "1899-12-31"], "give a date between 1900 and 2200."),
        (["--since", "2001-05-01", "--until", "2001-04-01"], "the end of the period is before"),
        (["--limit", "0"], "0 is not in the range x>=1."),
    ],
)
def test_bad_input_is_a_clear_error(mini_app, trail, args, message):
    result = audit(mini_app, *args)

    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_nothing_matching_is_said(mini_app, trail):
    result = audit(mini_app, "--until", "1950-01-01")

    assert result.exit_code == 0
    assert result.output == "No entry matches.\n"
