"""Only plausible dates: out of their legal order, before 1991 or bad overrides are refused with
a message naming the dates; a deadline already passed when it is created is a warning."""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.cases import fire, open_case, open_proceeding, override_deadline
from litigation.errors import InvalidInput
from litigation.models import Role

from ..conftest import TODAY, post_form, sign_in
from ..pages import confirmation

D = dt.date


@pytest.fixture
def at_trial(registry):
    case = open_case(reference="P-1", survivor_name="S", jurisdiction="KZ", opened_on=D(2026, 1, 6))
    proceeding = open_proceeding(
        registry,
        case,
        "kz_criminal",
        actor=None,
        opened_on=D(2026, 1, 6),
        today=TODAY,
        facts={"reported_on": D(2026, 1, 6)},
    )
    for trigger, day in (("register", D(2026, 1, 7)), ("indict", D(2026, 5, 4))):
        fire(registry, proceeding, trigger, actor=None, occurred_on=day, today=TODAY, facts={})
    return proceeding


def _pronounce(registry, proceeding, **facts):
    return fire(
        registry,
        proceeding,
        "pronounce_verdict",
        actor=None,
        occurred_on=D(2026, 9, 1),
        today=TODAY,
        facts={"verdict_outcome": "conviction", **facts},
    )


def test_a_copy_delivered_before_the_verdict_is_refused_naming_both_dates(registry, at_trial):
    with pytest.raises(InvalidInput) as refused:
        _pronounce(registry, at_trial, copy_delivered_on=D(2026, 8, 25))

    [message] = refused.value.errors.values()
    assert "(2026-08-25) cannot be before" in message
    assert message.params["later_on"] == D(2026, 8, 25)
    assert message.params["earlier_on"] == D(2026, 9, 1)
    assert at_trial.stage == "trial"


def test_a_date_before_1991_is_refused(registry, at_trial):
    with pytest.raises(InvalidInput, match="before 1991 is not plausible"):
        _pronounce(registry, at_trial, copy_delivered_on=D(1926, 9, 2))


@pytest.mark.parametrize(
    ("new_due", "message"),
    [
        (D(2026, 8, 31), "cannot be before the event it counts from (2026-09-01)"),
        (D(2036, 9, 2), "more than 10 years after the event it counts from (2026-09-01)"),
    ],
)
def test_an_override_outside_its_plausible_range_is_refused(registry, at_trial, new_due, message):
    [deadline] = _pronounce(registry, at_trial).opened

    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        override_deadline(deadline, actor=None, new_due=new_due, reason="court", today=TODAY)


def test_a_deadline_passed_on_the_day_it_is_created_is_a_warning(
    mini_app, mini_registry, create_case, create_user_
):
    lawyer = create_user_(Role.LAWYER, language="en")
    case, proceeding = create_case(
        mini_registry, "domestic", team=[lawyer], facts={"reported_on": D(2026, 1, 12)}
    )
    client = mini_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, lawyer)
    url = f"/cases/{case.id}/proceedings/{proceeding.id}/steps/decide"
    # Learned on 20 January: the 15 days ended on 4 February, long before "today" (27 Nov).
    facts = {"decided_on": "2026-01-15", "learned_on": "2026-01-20", "outcome": "refused"}

    response = post_form(client, url, {**facts, "version": "1"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert 'class="confirmation warning"' in page
    assert "This deadline had already passed when it was created" in confirmation(page)
