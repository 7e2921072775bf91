"""The cases list and My work in pages: page 2 holds the rest, filters and sort carry across
pages, a bad page number is answered in words (never a 500); search reads the folded words a
case keeps, renamed survivors included."""

from __future__ import annotations

import re

import pytest

from litigation.cases.survivors import update_survivor
from litigation.db import db
from litigation.models import Role
from litigation.web import cases as cases_view
from litigation.web import home

from ..conftest import TODAY, sign_in


@pytest.fixture
def coordinator(app, create_user_):
    return create_user_(Role.COORDINATOR, language="en")


@pytest.fixture
def lawyer(app, create_user_):
    return create_user_(Role.LAWYER, name="Erlan", language="en")


@pytest.fixture
def five_cases(registry, create_case, lawyer):
    """Five cases on the lawyer's team: three in Kazakhstan, two in Tajikistan."""
    made = []
    for number, jurisdiction in enumerate(("KZ", "TJ", "KZ", "TJ", "KZ")):
        route = "kz_criminal" if jurisdiction == "KZ" else "tj_criminal"
        case, _ = create_case(
            registry,
            route,
            jurisdiction=jurisdiction,
            team=[lawyer],
            survivor_name=f"Survivor {number}",
            facts={"reported_on": TODAY.replace(month=number + 1)},
        )
        made.append(case)
    return made


def _references(page: str) -> list[str]:
    return re.findall(r'<a href="/cases/\d+">([^<]+)</a>', page)


def _pages(client, url: str) -> list[list[str]]:
    """The references on each page of the list at `url`, following its Next links."""
    found = []
    while url:
        page = client.get(url).get_data(as_text=True)
        found.append(_references(page))
        following = re.search(r'<a href="([^"]+)" rel="next">', page)
        url = following.group(1).replace("&amp;", "&") if following else None
    return found


@pytest.mark.parametrize("sort", ["", "reference", "opened"])
def test_page_two_shows_the_rest_of_the_list_in_the_same_order(
    client, coordinator, five_cases, monkeypatch, sort
):
    sign_in(client, coordinator)
    whole = _references(client.get(f"/cases?sort={sort}").get_data(as_text=True))
    monkeypatch.setattr(cases_view, "PAGE_SIZE", 2)

    pages = _pages(client, f"/cases?sort={sort}")

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [ref for page in pages for ref in page] == whole
    assert sorted(whole) == sorted(case.reference for case in five_cases)


def test_the_filters_and_the_sort_carry_across_pages(client, coordinator, five_cases, monkeypatch):
    sign_in(client, coordinator)
    monkeypatch.setattr(cases_view, "PAGE_SIZE", 2)

    first = client.get("/cases?jurisdiction=KZ&sort=reference").get_data(as_text=True)
    pages = _pages(client, "/cases?jurisdiction=KZ&sort=reference")

    assert "Page 1 of 2" in first and "1–2 of 3" in first
    assert [ref for page in pages for ref in page] == sorted(
        c.reference for c in five_cases if c.jurisdiction == "KZ"
    )


def test_the_default_order_puts_cases_without_a_deadline_last_across_pages(
    client, coordinator, five_cases, create_case, registry, monkeypatch
):
    undated, _ = create_case(
        registry, "kz_criminal", survivor_name="No Deadline", facts={"reported_on": TODAY}
    )
    for proceeding in undated.proceedings:
        for deadline in proceeding.deadlines:
            deadline.status = "cancelled"
    db.session.commit()
    sign_in(client, coordinator)
    monkeypatch.setattr(cases_view, "PAGE_SIZE", 4)

    pages = _pages(client, "/cases")

    assert [len(page) for page in pages] == [4, 2]
    assert pages[-1][-1] == undated.reference


@pytest.mark.parametrize("asked", ["abc", "0", "-1", "99", "99999999999999", "2.5"])
def test_a_page_that_is_not_one_of_the_list_s_is_answered_in_words(
    client, coordinator, five_cases, monkeypatch, asked
):
    sign_in(client, coordinator)
    monkeypatch.setattr(cases_view, "PAGE_SIZE", 2)

    answer = client.get(f"/cases?page={asked}")

    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "There is no page" in page and "the list has 3" in page
    expected = "Page 3 of 3" if asked in ("99", "99999999999999") else "Page 1 of 3"
    assert expected in page


def test_my_work_pages_the_cases_by_stage_and_keeps_deadlines_on_page_one(
    client, lawyer, five_cases, monkeypatch
):
    sign_in(client, lawyer)
    monkeypatch.setattr(home, "PAGE_SIZE", 3)

    first = client.get("/my-work").get_data(as_text=True)
    second = client.get("/my-work?page=2").get_data(as_text=True)
    beyond = client.get("/my-work?page=7")

    listed = lambda page: re.findall(r'<a href="/cases/\d+#proceeding-\d+">([^<]+)</a>', page)  # noqa: E731
    by_stage = lambda page: listed(page.split('id="by-stage"')[1])  # noqa: E731
    assert 'id="overdue"' in first and 'id="overdue"' not in second
    assert "Page 1 of 2" in first and "4–5 of 5" in second
    assert sorted(by_stage(first) + by_stage(second)) == sorted(c.reference for c in five_cases)
    assert beyond.status_code == 200
    assert "There is no page «7»" in beyond.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["семенов артем", "АРТЁМ", "Семёнов", "артём семенов караганда"])
def test_search_finds_a_name_whatever_its_case_yo_and_word_order(
    client, coordinator, registry, create_case, typed
):
    case, _ = create_case(
        registry,
        "kz_criminal",
        survivor_name="Артём Семёнов",
        incident_place="Караганда",
        facts={"reported_on": TODAY},
    )
    create_case(registry, "kz_criminal", survivor_name="Гульнара", facts={"reported_on": TODAY})
    sign_in(client, coordinator)

    page = client.get("/cases", query_string={"q": typed}).get_data(as_text=True)

    assert _references(page) == [case.reference]


def test_search_finds_a_survivor_by_the_name_given_later(
    client, coordinator, registry, create_case
):
    case, _ = create_case(
        registry, "kz_criminal", survivor_name="Old Name", facts={"reported_on": TODAY}
    )
    survivor = case.survivor
    details = {"name": "Ёлкина Гульнара", "sex": survivor.sex}
    update_survivor(survivor, details, expected_version=None, actor=None, today=TODAY)
    db.session.commit()
    sign_in(client, coordinator)

    assert _references(client.get("/cases?q=елкина").get_data(as_text=True)) == [case.reference]
    assert _references(client.get("/cases?q=old").get_data(as_text=True)) == []
