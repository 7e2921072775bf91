"""The donor indicators count survivors as people: once however many cases they have, by sex,
and by age at the incident of their first case in the period (minors apart)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from litigation.cases.survivors import create_survivor
from litigation.db import db
from litigation.models import Role

from ..conftest import TODAY, sign_in

D = dt.date
REPORTED = {"reported_on": D(2025, 1, 12)}


def _rows(page: str) -> dict[str, str]:
    body = re.search(r'<table class="list" id="indicators">(.*?)</table>', page, re.S).group(1)
    numbers = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        text = [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]
        numbers[text[0]] = text[1]
    return numbers


@pytest.fixture
def people(mini_registry, create_case):
    """A girl born 2010 with two cases (incidents in 2025 and 2024), a man of 36 to 59 whose
    year of birth is unknown, a woman born 1950, and a man whose only case was closed before
    the period."""

    def person(**details):
        return create_survivor(details, actor=None, today=TODAY)

    girl = person(name="Айгерим С.", sex="female", birth_year=2010)
    man = person(name="Болат К.", sex="male", age_group="36_59")
    woman = person(name="Сауле Д.", sex="female", birth_year=1950)
    gone = person(name="Марат Б.", sex="male", birth_year=1990)
    for survivor, incident in ((girl, D(2025, 1, 5)), (girl, D(2024, 6, 1)), (man, None)):
        create_case(
            mini_registry, "domestic", survivor=survivor, incident_date=incident, facts=REPORTED
        )
    create_case(mini_registry, "domestic", survivor=woman, facts=REPORTED)
    _, closed = create_case(
        mini_registry, "domestic", survivor=gone, opened_on=D(2023, 1, 10), facts=REPORTED
    )
    closed.closed_on = D(2024, 3, 1)
    db.session.commit()


def test_people_are_counted_once_by_sex_and_by_age_with_minors_apart(
    mini_app, create_user_, people
):
    client = mini_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, create_user_(Role.COORDINATOR, language="en"))

    page = client.get("/dashboard/indicators?from=2025-01-01&to=2025-12-31")

    numbers = _rows(page.get_data(as_text=True))
    assert numbers["Cases documented"] == "4"  # opened 10 Jan 2025; the closed one in 2023
    assert numbers["Survivors represented"] == "3"  # the girl once for her two cases
    assert numbers["of them women and girls"] == "2"
    assert numbers["of them men and boys"] == "1"
    # The girl was 14 at her first incident (2024), the woman 75 at hers (2025).
    assert numbers["of them minors (under 18)"] == "1"
    assert numbers["of them aged 36 to 59"] == "1"
    assert numbers["of them aged 60 and older"] == "1"
    assert numbers["of them aged 18 to 35"] == "0"


def test_the_people_rows_speak_russian(mini_app, create_user_, people):
    client = mini_app.test_client()
    sign_in(client, create_user_(Role.COORDINATOR, language="ru"))

    page = client.get("/dashboard/indicators?from=2025-01-01&to=2025-12-31")

    numbers = _rows(page.get_data(as_text=True))
    assert numbers["из них несовершеннолетние (младше 18 лет)"] == "1"
    assert "каждый учтён один раз" in page.get_data(as_text=True)
