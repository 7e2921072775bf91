"""The dashboard as a coordinator reads it: stages with something in them, route titles not
ids, dates and decimals as the reader writes them, whole-number chart ticks, text a phone
can read, and a CSV a spreadsheet with Russian settings opens as it is."""

from __future__ import annotations

import csv
import io
import re

import pytest

from litigation.models import Role
from litigation.web.dashboard.charts import FONT, WIDTH, bars, count_ticks, line

from ..conftest import sign_in
from .test_dashboard import _html_rows, history, people  # noqa: F401  (fixtures)

PHONE_CONTENT = 390 - 2 * 16  # main's padding is 1rem either side


def _russian(client, create_user_):
    sign_in(client, create_user_(Role.COORDINATOR, language="ru"))


def _svg_texts(page: str) -> list[str]:
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    return [text for svg in svgs for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_the_bottleneck_table_hides_empty_stages_until_asked(client, history):  # noqa: F811
    sign_in(client, history["coordinator"])

    page = client.get("/dashboard").get_data(as_text=True)
    shown = _html_rows(page, "bottlenecks")[1:]
    every = client.get("/dashboard?empty=1").get_data(as_text=True)
    all_rows = _html_rows(every, "bottlenecks")[1:]

    assert shown and all(row[2] != "0" or row[8] != "0" for row in shown)
    assert len(all_rows) > 3 * len(shown)
    assert f"{len(shown)} of {len(all_rows)} stages" in page
    assert 'href="/dashboard?empty=1">Show every stage</a>' in page
    assert "Hide the empty stages" in every and "Show every stage" not in every
    kept = re.search(r'<form method="get" class="filters">.*?</form>', every, re.S).group(0)
    assert '<input type="hidden" name="empty" value="1">' in kept  # filtering keeps all
    assert "empty" not in re.sub(r"<[^>]+>", "", kept)  # and says nothing of it


def test_labels_name_routes_by_their_titles(client, history, create_user_):  # noqa: F811
    _russian(client, create_user_)

    bottlenecks = client.get("/dashboard").get_data(as_text=True)
    indicators = client.get("/dashboard/indicators").get_data(as_text=True)
    stuck = client.get("/dashboard/stuck?route=kz_criminal&stage=judge_complaint&all=1")

    chart = " ".join(_svg_texts(bottlenecks))
    assert "Казахстан: уголовное преследование за пытки" in chart
    assert "kz_criminal" not in chart and "·" not in chart
    notes = [row[2] for row in _html_rows(indicators, "indicators")]
    assert any(note.startswith("Казахстан: уголовное преследование за пытки: ") for note in notes)
    assert not [note for note in notes if re.search(r"\b(kz|tj|un)_\w+:", note)]
    tags = re.findall(r'<span class="tag">([^<]*)</span>', stuck.get_data(as_text=True))
    assert tags == ["стадия: Жалоба у следственного судьи", "все производства на стадии"]


def test_tables_write_dates_and_decimals_as_the_reader_does(client, history, create_user_):  # noqa: F811
    _russian(client, create_user_)

    stuck = _html_rows(client.get("/dashboard/stuck").get_data(as_text=True), "stuck")
    every = _html_rows(client.get("/dashboard?empty=1").get_data(as_text=True), "bottlenecks")
    risk = client.get("/dashboard/risk?from=2026-01-01&to=2026-03-31").get_data(as_text=True)
    indicators = client.get("/dashboard/indicators").get_data(as_text=True)

    assert stuck[1][4] == "01.04.2026"  # A's last step
    reported = next(row for row in every if row[1] == "Заявление подано")
    assert reported[6] == "5,8"  # the 90th percentile of the reports' stays
    assert [row[0] for row in _html_rows(risk, "monthly")[1:]] == [
        "январь 2026",
        "февраль 2026",
        "март 2026",
    ]
    assert "за 01.01.2026 – 27.11.2026" in indicators
    for page in (str(stuck), str(every), indicators):
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 5, 10]),
        (135, [0, 50, 100, 150]),
        (2.5, [0, 1, 2, 3]),
    ],
)
def test_count_axes_tick_in_whole_numbers(largest, ticks):
    assert count_ticks(largest) == ticks


def test_no_count_axis_shows_a_fraction(client, history):  # noqa: F811
    sign_in(client, history["coordinator"])
    svg = str(line(["a", "b", "c"], [("steps", [0, 135, 3])], "t"))

    page = client.get("/dashboard/risk").get_data(as_text=True)

    assert "67.5" not in svg and ">150<" in svg
    assert not [t for t in _svg_texts(page) if re.fullmatch(r"\d+[.,]\d+", t)]


def test_chart_text_is_readable_on_a_phone():
    chart = str(bars([("Stage", "Route title", 3)], "t"))

    assert f'viewBox="0 0 {WIDTH} ' in chart and f'font-size="{FONT}"' in chart
    assert FONT * PHONE_CONTENT / WIDTH >= 11  # px, once the chart shrinks to the phone


@pytest.mark.parametrize("page", ["", "/ball", "/stuck", "/risk", "/funnel", "/indicators"])
def test_the_russian_spreadsheet_form_of_every_table(client, history, create_user_, page):  # noqa: F811
    _russian(client, create_user_)
    shown = client.get(f"/dashboard{page}").get_data(as_text=True)
    links = re.findall(r'href="([^"]*csv=ru[^"]*)"', shown)
    assert links and all("format=csv" in link for link in links)

    for link in links:
        download = client.get(link.replace("&amp;", "&"))
        text = download.get_data(as_text=True)
        assert download.status_code == 200 and text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        assert len({len(row) for row in rows}) == 1  # every row split into the same columns
        assert not re.search(r"\b\d+\.\d\b", text)  # no decimal point
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)  # no ISO date
