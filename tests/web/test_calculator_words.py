"""The calculator speaks the reader's language: calendars and holidays by name, dates as the
reader writes them, and a sentence beside a length it cannot count. An error page never
claims what it cannot know."""

from __future__ import annotations

import re

import pytest

from litigation.models import Role

from ..conftest import SHIPPED_WORKFLOWS, sign_in

ISO = re.compile(r"\b\d{4}-\d\d-\d\d\b")


def _ask(client, user, query: str):
    sign_in(client, user)
    return client.get(f"/calculator?{query}")


def _visible(response) -> str:
    """The page's text as read: no tags, no attribute values (datetime="..." is for machines)."""
    page = response.get_data(as_text=True)
    main = page[page.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _errors(response) -> list[str]:
    return re.findall(r'class="error" role="alert">([^<]*)<', response.get_data(as_text=True))


@pytest.fixture
def russian(app, create_user_):
    return create_user_(Role.LAWYER, language="ru")


@pytest.fixture
def english(app, create_user_):
    return create_user_(Role.LAWYER, language="en")


def test_calendars_are_named_not_coded(client, russian):
    page = _ask(client, russian, "").get_data(as_text=True)

    options = re.findall(r'<option[^>]*value="(KZ|TJ|none)"[^>]*>([^<]*)<', page)
    assert dict(options) == {
        "KZ": "Казахстан: рабочие дни и праздники",
        "TJ": "Таджикистан: рабочие дни и праздники",
        "none": "Календарные дни: ничего не переносится (процедуры ООН)",
    }


def test_a_kazakh_holiday_is_named_in_russian_with_its_date_in_words(client, russian):
    answer = _ask(client, russian, "anchor=2026-12-06&amount=10&unit=d&calendar=KZ&roll=y")

    text = _visible(answer)
    assert answer.status_code == 200
    assert "среда, 16 декабря 2026 г. — нерабочий день (праздник: День Независимости)" in text
    assert "Independence" not in text and not ISO.search(text)


def test_tajik_holidays_and_their_days_off_read_in_russian(client, russian):
    answer = _ask(client, russian, "anchor=2026-03-10&amount=10&unit=d&calendar=TJ&roll=y")

    text = _visible(answer)
    assert "выходной день (суббота); праздник: Международный праздник Навруз" in text
    assert (
        "выходной день за праздник «Международный праздник Навруз», пришедшийся на выходной: "
        "суббота, 21 марта 2026 г." in text
    )
    assert "праздник: Ураза-байрам (дата официально объявлена)" in text
    assert "выходной день по постановлению Правительства" in text  # Friday 27 March 2026
    assert not ISO.search(text) and "public holiday" not in text


def test_a_kazakh_day_off_moved_by_the_law_and_one_by_decree(client, russian):
    victory = _visible(
        _ask(client, russian, "anchor=2026-05-01&amount=8&unit=d&calendar=KZ&roll=y")
    )
    swapped = _visible(
        client.get("/calculator?anchor=2019-12-24&amount=10&unit=d&calendar=KZ&roll=y")
    )

    assert "выходной день за праздник «День Победы», пришедшийся на выходной" in victory
    assert (
        "выходной день по постановлению Правительства в обмен на рабочий день "
        "воскресенье, 5 января 2020 г." in swapped
    )


def test_english_reasons_keep_their_words_and_lose_iso_dates(client, english):
    answer = _ask(client, english, "anchor=2019-12-24&amount=10&unit=d&calendar=KZ&roll=y")

    text = _visible(answer)
    assert "day off by a Government decree, in exchange for working on Sunday" in text
    assert not ISO.search(text)


def test_a_period_that_does_not_move_still_says_why_its_last_day_is_off(client, russian):
    text = _visible(_ask(client, russian, "anchor=2026-12-06&amount=10&unit=d&calendar=KZ"))

    assert "хотя это нерабочий день (праздник: День Независимости)" in text


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        ("-5", "d", "Срок отсчитывается вперёд от события: укажите длительность не меньше 1."),
        ("0", "m", "Срок отсчитывается вперёд от события: укажите длительность не меньше 1."),
        ("10000", "y", "Сроков длиннее 100 лет не бывает: укажите не больше 100 лет."),
        ("99999", "d", "Сроков длиннее 100 лет не бывает: укажите не больше 36525 дней."),
        (
            "10 000",
            "y",
            "Укажите длительность целым числом, например 15, без пробелов, запятых и точек.",
        ),
        (
            "1,5",
            "m",
            "Укажите длительность целым числом, например 15, без пробелов, запятых и точек.",
        ),
        ("", "d", "Укажите длительность срока, например 15."),
    ],
)
def test_a_length_it_cannot_count_gets_a_sentence_beside_it(client, russian, amount, unit, message):
    sign_in(client, russian)

    response = client.get(
        "/calculator",
        query_string={"anchor": "2026-01-01", "amount": amount, "unit": unit, "calendar": "KZ"},
    )

    assert response.status_code == 400
    assert _errors(response) == [message]
    assert f'value="{amount}"' in response.get_data(as_text=True) or not amount.strip()


def test_the_error_page_does_not_promise_that_anything_was_saved(
    app_for, create_user_, monkeypatch
):
    app = app_for(SHIPPED_WORKFLOWS, settings={"PROPAGATE_EXCEPTIONS": False})
    user = create_user_(Role.LAWYER, language="ru")  # in the test database both apps share
    monkeypatch.setattr(
        "litigation.web.calculator.compute_due", lambda *a, **k: 1 / 0
    )  # any fault the page did not foresee
    client = app.test_client()
    sign_in(client, user)

    response = client.get("/calculator?anchor=2026-01-01&amount=5&unit=d&calendar=KZ")

    text = _visible(response)
    assert response.status_code == 500
    assert "могло не выполниться" in text
    assert "данные сохранены" not in text and "в сохранности" not in text
