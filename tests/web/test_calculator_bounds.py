"""The calculator answers every length and date with a result or a message, never a 500."""

from __future__ import annotations

import pytest

from litigation.models import Role

from ..conftest import sign_in


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("anchor=9999-12-01&amount=100&unit=y", "Give a date between 1900 and 2200."),
        ("anchor=2026-01-01&amount=10000&unit=y", "give at most 100 years."),
        ("anchor=2026-01-01&amount=999999999&unit=d", "give at most 36525 days."),
        ("anchor=2026-01-01&amount=-5&unit=d", "give a length of at least 1."),
        ("anchor=2026-01-01&amount=99999&unit=wd", "give at most 26100 working days."),
        ("anchor=0001-01-01&amount=5&unit=d", "Give a date between 1900 and 2200."),
    ],
)
def test_an_absurd_question_gets_a_message_next_to_its_field(
    mini_client, create_user_, query, message
):
    mini_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(mini_client, create_user_(Role.LAWYER, language="en"))

    response = mini_client.get(f"/calculator?{query}&calendar=KZ")

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_the_longest_period_still_gets_an_answer(mini_client, create_user_):
    sign_in(mini_client, create_user_(Role.LAWYER, language="en"))

    response = mini_client.get("/calculator?anchor=2100-01-01&amount=100&unit=y&calendar=KZ")

    assert response.status_code == 200
    assert "2200" in response.get_data(as_text=True)
