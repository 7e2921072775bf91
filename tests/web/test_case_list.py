"""The cases list (issue 12): stages filtered with their route, search over the name, the
place and the authority folded for case and ё/е, a link that resets the filters, and the
filtered list as a CSV (quoted, formula-proof, confirmed, audited; names only when asked for,
allowed to the role and allowed by each survivor's consent and risk)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from sqlalchemy import select

from litigation.db import db, utcnow
from litigation.models import AuditEntry, AuditKind, Role, UserSession

from ..conftest import sign_in

D = dt.date
UN = {"final_domestic_decision_on": D(2026, 6, 1)}


@pytest.fixture
def coordinator(app, create_user_):
    return create_user_(Role.COORDINATOR, language="en")


@pytest.fixture
def two_un_cases(registry, create_case):
    """Two cases at the stage `preparing`, one on the HRC route and one on the CAT route."""
    hrc, _ = create_case(
        registry,
        "un_hrc",
        facts=UN,
        survivor_name="Артём Семёнов",
        incident_place="ИВС пос. Берёзовка, Карагандинская обл.",
        authority="ДП Карагандинской области",
    )
    cat, _ = create_case(
        registry,
        "un_cat",
        facts=UN,
        survivor_name="Гульнара Ёлкина",
        incident_place="СИЗО г. Алматы",
        authority="УП Алатауского района",
    )
    return hrc, cat


def _references(page: str) -> list[str]:
    return re.findall(r'<a href="/cases/\d+">([^<]+)</a>', page)


def test_the_stage_filter_offers_each_route_s_stages_under_the_route(client, coordinator, registry):
    sign_in(client, coordinator)

    page = client.get("/cases").get_data(as_text=True)

    select_html = page[page.index('<select name="stage"') :]
    select_html = select_html[: select_html.index("</select>")]
    hrc, cat = registry.route("un_hrc"), registry.route("un_cat")
    assert f'<optgroup label="{hrc.title.en}">' in select_html
    assert '<option value="un_hrc:preparing" >' in select_html
    assert '<option value="un_cat:preparing" >' in select_html
    assert f">{cat.stage('preparing').label.en}</option>" in select_html


def test_stage_ids_shared_by_two_routes_are_told_apart(client, coordinator, two_un_cases):
    hrc, cat = two_un_cases
    sign_in(client, coordinator)

    only_hrc = client.get("/cases?stage=un_hrc:preparing").get_data(as_text=True)
    only_cat = client.get("/cases?stage=un_cat:preparing").get_data(as_text=True)

    assert _references(only_hrc) == [hrc.reference]
    assert '<option value="un_hrc:preparing" selected>' in only_hrc
    assert _references(only_cat) == [cat.reference]


def test_an_old_link_with_a_stage_of_several_routes_says_so_and_shows_them_all(
    client, coordinator, two_un_cases
):
    sign_in(client, coordinator)

    page = client.get("/cases?stage=preparing").get_data(as_text=True)

    assert sorted(_references(page)) == sorted(c.reference for c in two_un_cases)
    assert "is a stage of several routes" in page
    assert "Choose the route&#39;s stage in the list to narrow it." in page


def test_an_old_link_with_its_route_or_a_stage_of_one_route_still_works(
    client, coordinator, registry, create_case, two_un_cases
):
    hrc, _cat = two_un_cases
    kz, _ = create_case(registry, "kz_criminal", facts={"reported_on": D(2026, 10, 1)})
    sign_in(client, coordinator)

    with_route = client.get("/cases?route=un_hrc&stage=preparing").get_data(as_text=True)
    one_route = client.get("/cases?stage=reported").get_data(as_text=True)

    assert _references(with_route) == [hrc.reference]
    assert "several routes" not in with_route
    assert _references(one_route) == [kz.reference]
    assert '<option value="kz_criminal:reported" selected>' in one_route


@pytest.mark.parametrize("stage", ["nonsense", "un_hrc:nonsense", "nowhere:preparing", ":"])
def test_an_unknown_stage_filters_nothing_and_says_so(client, coordinator, two_un_cases, stage):
    sign_in(client, coordinator)

    response = client.get("/cases", query_string={"stage": stage})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert len(_references(page)) == 2
    assert "There is no such stage; the list is not filtered by stage." in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("семенов", "hrc"),  # the name, ё typed as е
        ("СЕМЁНОВ АРТЁМ", "hrc"),  # capitals, ё, another word order
        ("березовка", "hrc"),  # the place holds ё
        ("БЕРЁЗОВКА", "hrc"),
        ("карагандинской", "hrc"),  # the place and the authority
        ("семенов караганд", "hrc"),  # a word of the name and one of the place
        ("алатауского", "cat"),  # the authority
        ("сизо", "cat"),  # the place, in capitals there
        ("елкина", "cat"),
        ("T-000", "both"),  # the reference
        ("семенов алатауского", "none"),  # every word must be found
    ],
)
def test_search_folds_case_and_yo_over_name_place_and_authority(
    client, coordinator, two_un_cases, query, found
):
    hrc, cat = two_un_cases
    expected = {"hrc": [hrc], "cat": [cat], "both": [hrc, cat], "none": []}[found]
    sign_in(client, coordinator)

    page = client.get("/cases", query_string={"q": query}).get_data(as_text=True)

    assert sorted(_references(page)) == sorted(c.reference for c in expected)


def test_a_reset_link_appears_when_a_filter_is_on(client, coordinator, two_un_cases):
    sign_in(client, coordinator)

    plain = client.get("/cases?sort=reference").get_data(as_text=True)
    filtered = client.get("/cases?q=сизо&overdue=1").get_data(as_text=True)

    assert "Reset filters" not in plain
    assert '<a href="/cases">Reset filters</a>' in filtered


def test_the_reset_link_speaks_russian(client, create_user_, two_un_cases):
    coordinator = create_user_(Role.COORDINATOR, language="ru")
    sign_in(client, coordinator)

    page = client.get("/cases?jurisdiction=KZ").get_data(as_text=True)

    assert "Сбросить фильтры" in page


# The CSV of the filtered list


def _rows(response, separator: str = ",") -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=separator))


def _downloads(user) -> list[AuditEntry]:
    query = select(AuditEntry).where(
        AuditEntry.kind == AuditKind.DOWNLOAD, AuditEntry.actor_id == user.id
    )
    return list(db.session.scalars(query))


def _age_confirmation(user, minutes: int = 30) -> None:
    for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        row.confirmed_at = utcnow() - dt.timedelta(minutes=minutes)
    db.session.commit()


def test_the_csv_holds_the_filtered_list_every_cell_quoted(client, coordinator, two_un_cases):
    hrc, _cat = two_un_cases
    sign_in(client, coordinator)

    response = client.get("/cases?stage=un_hrc:preparing&format=csv")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="cases.csv"'
    header, *rows = _rows(response)
    assert header[:3] == ["Reference", "Jurisdiction", "Survivor"]
    assert [row[0] for row in rows] == [hrc.reference]
    body = response.get_data(as_text=True)[1:]
    assert all(line.startswith('"') and line.endswith('"') for line in body.splitlines())


def test_a_formula_typed_into_a_case_cannot_run_in_the_spreadsheet(
    client, create_user_, registry, create_case
):
    lawyer = create_user_(Role.LAWYER, name='=HYPERLINK("http://x.example","go")')
    create_case(
        registry,
        "kz_criminal",
        team=[lawyer],
        facts={"reported_on": D(2026, 10, 1)},
        consents=("litigation", "sharing"),
        survivor_name="+7 701 000 00 00",
        reprisal_risk="low",
    )
    sign_in(client, lawyer)

    rows = _rows(client.get("/cases?format=csv_ru&with_names=1"), ";")

    assert len(rows) == 2
    survivor, team = rows[1][2], rows[1][-1]
    assert survivor == "'+7 701 000 00 00"
    assert team.startswith("'=HYPERLINK")


def test_the_russian_spreadsheet_form_splits_on_semicolons(client, coordinator, two_un_cases):
    sign_in(client, coordinator)

    response = client.get("/cases?format=csv_ru")

    assert response.headers["Content-Disposition"] == 'attachment; filename="cases-ru.csv"'
    rows = _rows(response, ";")
    assert len(rows) == 3 and len(rows[0]) == 8
    assert _downloads(coordinator)[-1].details["form"] == "ru"  # as every CSV download says it


def test_names_appear_only_when_asked_allowed_and_consented(
    client, coordinator, registry, create_case
):
    consented, _ = create_case(
        registry,
        "kz_criminal",
        facts={"reported_on": D(2026, 10, 1)},
        consents=("litigation", "sharing"),
        survivor_name="Данияр Консентов",
        reprisal_risk="low",
    )
    high_risk, _ = create_case(
        registry,
        "kz_criminal",
        facts={"reported_on": D(2026, 10, 1)},
        consents=("litigation", "sharing"),
        survivor_name="Рискованный Высокий",
        reprisal_risk="high",
    )
    no_consent, _ = create_case(
        registry,
        "kz_criminal",
        facts={"reported_on": D(2026, 10, 1)},
        survivor_name="Несогласный Без",
        reprisal_risk="low",
    )
    sign_in(client, coordinator)

    asked = {row[0]: row[2] for row in _rows(client.get("/cases?format=csv&with_names=1"))[1:]}
    not_asked = _rows(client.get("/cases?format=csv"))

    assert asked == {
        consented.reference: "Данияр Консентов",
        high_risk.reference: high_risk.reference,
        no_consent.reference: no_consent.reference,
    }
    assert all(row[2] == row[0] for row in not_asked[1:])
    with_names, without = _downloads(coordinator)
    assert with_names.details["with_names"] is True and with_names.details["named"] == 1
    assert without.details["with_names"] is False


def test_staff_never_get_names_in_the_csv(client, create_user_, registry, create_case):
    staff = create_user_(Role.STAFF, language="en")
    case, _ = create_case(
        registry,
        "kz_criminal",
        team=[staff],
        facts={"reported_on": D(2026, 10, 1)},
        consents=("litigation", "sharing"),
        survivor_name="Данияр Консентов",
        reprisal_risk="low",
    )
    sign_in(client, staff)

    page = client.get("/cases").get_data(as_text=True)
    rows = _rows(client.get("/cases?format=csv&with_names=1"))

    assert 'name="with_names"' not in page
    assert rows[1][2] == case.reference
    assert _downloads(staff)[-1].details["with_names"] is False


def test_the_csv_is_audited_with_its_filters_but_never_the_search_words(
    client, coordinator, two_un_cases
):
    sign_in(client, coordinator)

    client.get(
        "/cases", query_string={"q": "Семёнов", "stage": "un_hrc:preparing", "format": "csv"}
    )

    (entry,) = _downloads(coordinator)
    assert entry.details["table"] == "cases" and entry.details["rows"] == 1
    assert entry.details["filters"] == {"search": True, "stage": "un_hrc:preparing"}
    assert "Семёнов" not in str(entry.details) and "семенов" not in str(entry.details)


def test_the_csv_asks_who_this_is_when_not_confirmed_lately(client, coordinator, two_un_cases):
    sign_in(client, coordinator)
    _age_confirmation(coordinator)

    asked = client.get("/cases?format=csv&with_names=1")

    assert asked.status_code == 401
    assert 'name="confirm_password"' in asked.get_data(as_text=True)
    assert _downloads(coordinator) == []


def test_the_list_offers_the_download_with_its_filters(client, coordinator, two_un_cases):
    sign_in(client, coordinator)

    page = client.get("/cases?q=сизо&page=1").get_data(as_text=True)

    export = page[page.index('class="filters export"') :]
    assert '<input type="hidden" name="q" value="сизо">' in export
    assert 'name="page"' not in export
    assert '<button type="submit" name="format" value="csv_ru">' in export


def test_the_audit_trail_tells_what_the_cases_csv_held(client, create_user_, two_un_cases):
    admin = create_user_(Role.ADMIN, language="en")
    sign_in(client, admin)
    client.get("/cases?q=Семёнов&jurisdiction=KZ&format=csv_ru&with_names=1")

    page = client.get("/admin/audit").get_data(as_text=True)

    assert "CSV table cases" in page and "with survivors&#39; names" in page
    assert "searched (the words are not kept)" in page and "filters: jurisdiction: KZ" in page
    assert "Семёнов" not in page
