"""The frame of every page: where each role lands, the menu with the current page marked, the
skip link, the favicon, the sign-in form; and the words pages share (dates, numbers, days
overdue, jurisdictions, holidays) in the reader's language."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

import pytest
from flask import g

from litigation.errors import msg
from litigation.models import Role
from litigation.registry import current_registry
from litigation.web.filters import basis_text, days_left, human_date, number, translated
from litigation.web.holiday_names import holiday_name, non_working_text
from litigation.web.vocabulary import calendar_name, jurisdiction_name

from ..conftest import ROOT, sign_in


@pytest.fixture
def russian(mini_client):
    mini_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    return mini_client


def _signed_in(client, create_user_, role: Role):
    user = create_user_(role, language="ru", name="Дана Ахметова")
    return sign_in(client, user)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_those_who_see_the_dashboard_land_on_it(russian, create_user_, role):
    signed = _signed_in(russian, create_user_, role)

    assert signed.headers["Location"] == "/dashboard"
    assert russian.get("/").headers["Location"] == "/dashboard"
    assert russian.get("/login").headers["Location"] == "/dashboard"
    mine = russian.get("/my-work").get_data(as_text=True)
    assert "<h1>Мои задачи</h1>" in mine
    assert 'href="/my-work" aria-current="page"' in mine


@pytest.mark.parametrize("role", [Role.LAWYER, Role.STAFF])
def test_lawyers_and_staff_keep_my_work(russian, create_user_, role):
    signed = _signed_in(russian, create_user_, role)
    page = russian.get("/").get_data(as_text=True)

    assert signed.headers["Location"] == "/"
    assert "<h1>Мои задачи</h1>" in page
    assert 'href="/my-work" aria-current="page"' in page
    assert "/dashboard" not in page


def test_the_menu_marks_the_current_page_and_its_area(
    russian, create_user_, create_case, mini_registry
):
    _signed_in(russian, create_user_, Role.COORDINATOR)
    case, _ = create_case(mini_registry, "domestic", facts={"reported_on": dt.date(2026, 1, 12)})

    listed = russian.get("/cases").get_data(as_text=True)
    within = russian.get(f"/cases/{case.id}").get_data(as_text=True)
    routes = russian.get("/routes").get_data(as_text=True)

    assert 'href="/cases" aria-current="page">Дела</a>' in listed
    assert 'href="/cases" aria-current="true">Дела</a>' in within
    assert 'href="/routes" aria-current="page">Маршруты</a>' in routes
    assert routes.count("aria-current=") == 1


def test_every_page_starts_with_a_skip_link_and_names_its_icon(russian, create_user_):
    _signed_in(russian, create_user_, Role.LAWYER)
    page = russian.get("/calculator").get_data(as_text=True)
    body = page.split("<body>")[1]
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)

    assert body.lstrip().startswith('<a class="skip" href="#content">Перейти к содержанию</a>')
    assert '<main id="content" tabindex="-1">' in page
    assert '<details class="menu">' in page and "<summary>Меню</summary>" in page
    served = russian.get(icon.group(1))
    served.close()  # a static file is streamed: close it as a browser would
    assert served.status_code == 200 and served.mimetype == "image/svg+xml"


def test_the_sign_in_form_puts_the_cursor_in_the_e_mail(russian):
    page = russian.get("/login").get_data(as_text=True)
    email = re.search(r"<input[^>]*name=\"email\"[^>]*>", page).group()

    assert "autofocus" in email and 'autocomplete="username"' in email
    assert 'autocomplete="current-password"' in page


@contextmanager
def reading(app, language: str):
    """A request read in `language`, for the filters."""
    with app.test_request_context(headers={"Accept-Language": language}):
        g.lang = language
        yield


@pytest.mark.parametrize(
    ("language", "date", "decimal", "overdue", "left"),
    [
        ("ru", "07.12.2026", "1\xa0234,5", "просрочен на 714 дней", "остался 1 день"),
        ("en", "Dec 7, 2026", "1,234.5", "714 days overdue", "1 day left"),
    ],
)
def test_dates_numbers_and_days_read_as_the_reader_writes_them(
    app, language, date, decimal, overdue, left
):
    with reading(app, language):
        assert human_date(dt.date(2026, 12, 7)) == date
        assert number(1234.46) == decimal
        assert number(None) == ""
        assert days_left(-714) == overdue
        assert days_left(1) == left


def test_codes_read_as_names(app):
    with reading(app, "ru"):
        assert jurisdiction_name("KZ") == "Казахстан"
        assert jurisdiction_name("TJ") == "Таджикистан"
        assert calendar_name("none") == "Календарные дни, без праздников (ООН)"
        refused = msg("Route %(route)s does not apply to %(j)s.", route="kz_criminal", j="TJ")
        title = current_registry().route("kz_criminal").title.ru
        assert translated(refused) == f"Маршрут {title} не применяется в юрисдикции Таджикистан."


def test_holidays_and_days_off_are_named_in_russian(app):
    kz = current_registry().calendars["KZ"]
    tj = current_registry().calendars["TJ"]
    with reading(app, "ru"):
        assert holiday_name("KZ", dt.date(2026, 12, 16), "Independence Day") == "День Независимости"
        estimated = holiday_name("KZ", dt.date(2027, 5, 16), "Eid al-Adha (estimated)")
        assert estimated == "Курбан айт (приблизительная дата)"
        assert holiday_name("TJ", dt.date(2026, 3, 21), "International Nowruz Day") == (
            "Международный праздник Навруз"
        )
        new_year = non_working_text(kz, dt.date(2026, 1, 1), "public holiday: New Year's Day")
        assert new_year == "праздник: Новый год"
        transfer = non_working_text(tj, dt.date(2026, 3, 25), "day off: ...")
        assert transfer.startswith("выходной день за праздник «Международный праздник Навруз»")
    with reading(app, "en"):
        assert non_working_text(kz, dt.date(2026, 1, 1), "public holiday: X") == "public holiday: X"


def test_the_style_sheet_closes_every_block():
    """A stray brace makes browsers drop the next rule (it once took main's margins away)."""
    sheet = (ROOT / "litigation/web/static/style.css").read_text(encoding="utf-8")
    depth = 0
    for char in re.sub(r"/\*.*?\*/", "", sheet, flags=re.S):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_legal_basis_reads_in_the_reader_s_language(app, registry, create_case, language):
    _, proceeding = create_case(
        registry, "kz_criminal", facts={"reported_on": dt.date(2026, 11, 2)}
    )
    deadline = proceeding.deadlines[0]
    with reading(app, language):
        from_the_rule = basis_text(deadline)
        deadline.rule = "a rule workflows.yaml no longer has"  # the stored words answer then
        stored = basis_text(deadline)

    russian, english = deadline.legal_basis, deadline.legal_basis_en
    assert russian != english and re.search("[А-Яа-я]", russian)
    assert from_the_rule == stored == (russian if language == "ru" else english)
