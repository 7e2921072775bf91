"""Names in calendar feeds follow the survivor's consent: a feed with names names a case only
when its current consent covers sharing and its reprisal risk is not high, and stops right
after the consent is withdrawn; the withdrawal says how many feeds change, and whose."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from litigation.db import db
from litigation.feeds import create_feed
from litigation.models import ConsentRecord, FeedKind, Role

from ..conftest import post_form, sign_in

pytestmark = pytest.mark.usefixtures("english_browser")

D = dt.date
NAMES = {"shared": "Асхат Нурланов", "silent": "Болат Касымов", "risky": "Гульнар Сеитова"}


@pytest.fixture
def admin(mini_app, create_user_):
    return create_user_(Role.ADMIN, name="Aigerim Admin", language="en")


@pytest.fixture
def cases(mini_registry, create_case, lawyer):
    """Three UN cases of the lawyer: one that may be named, one without consent to sharing,
    one with it but a high risk of reprisals."""
    made = {}
    for key, consents, risk in [
        ("shared", ("litigation", "sharing"), "low"),
        ("silent", ("litigation",), "low"),
        ("risky", ("litigation", "sharing"), "high"),
    ]:
        made[key], _ = create_case(
            mini_registry,
            "un",
            team=[lawyer],
            survivor_name=NAMES[key],
            notes=f"Notes of {key}",
            facts={"final_domestic_decision_on": D(2026, 1, 10)},
            consents=consents,
            reprisal_risk=risk,
        )
    return made


def _named_feed(owner, admin, name="Lawyer's named calendar"):
    _subscription, token = create_feed(owner, admin, kind=FeedKind.MINE, with_names=True, name=name)
    db.session.commit()
    return f"/calendars/{token}.ics"


def _feed(client, url) -> str:
    """The feed's text with its folded lines unfolded (RFC 5545, 3.1)."""
    return client.get(url).get_data(as_text=True).replace("\r\n ", "")


def test_a_feed_with_names_names_only_cases_whose_consent_and_risk_allow_it(
    mini_client, lawyer, admin, cases
):
    feed = _feed(mini_client, _named_feed(lawyer, admin))
    assert NAMES["shared"] in feed and "Notes of shared" in feed
    for key in ("silent", "risky"):
        assert cases[key].reference in feed  # the deadline is there, without the name
        assert NAMES[key] not in feed and f"Notes of {key}" not in feed


def test_the_name_stops_right_after_the_withdrawal_and_the_page_says_which_feeds(
    mini_client, lawyer, admin, cases
):
    url = _named_feed(lawyer, admin)
    case = cases["shared"]
    sign_in(mini_client, lawyer)
    consent = db.session.scalar(
        db.select(ConsentRecord).where(
            ConsentRecord.case_id == case.id, ConsentRecord.scope == "sharing"
        )
    )
    withdraw = f"/cases/{case.id}/consents/{consent.id}/withdraw"
    preview = html.unescape(mini_client.get(withdraw).get_data(as_text=True))
    assert "If you withdraw it: 1 calendar feed with survivors' names shows this case" in preview

    data = {"withdrawn_on": "2026-11-25", "version": str(consent.version)}
    response = post_form(mini_client, withdraw, data)

    assert response.status_code == 302
    page = html.unescape(mini_client.get(response.headers["Location"]).get_data(as_text=True))
    flashes = " ".join(re.findall(r'class="flash [^"]*">([^<]*)<', page))
    assert "1 calendar feed with survivors' names shows this case: from its next refresh" in flashes
    assert f"Known to you: «Lawyer's named calendar» ({lawyer.name})." in flashes
    assert "What a calendar service fetched before stays with it." in flashes
    feed = _feed(mini_client, url)
    assert NAMES["shared"] not in feed and "Notes of shared" not in feed
    assert case.reference in feed


def test_a_colleague_learns_how_many_feeds_but_not_whose(
    mini_app, mini_client, create_user_, lawyer, admin, cases
):
    _named_feed(lawyer, admin)
    colleague = create_user_(Role.LAWYER, language="en")
    case = cases["shared"]
    case.team.append(colleague)
    db.session.commit()
    _named_feed(colleague, admin, name="Colleague's calendar")
    consent = next(c for c in case.consents if c.scope == "sharing")
    withdraw = f"/cases/{case.id}/consents/{consent.id}/withdraw"
    sign_in(mini_client, colleague)
    response = post_form(
        mini_client, withdraw, {"withdrawn_on": "2026-11-25", "version": str(consent.version)}
    )
    page = html.unescape(mini_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "2 calendar feeds with survivors' names show this case" in page
    assert f"Known to you: «Colleague's calendar» ({colleague.name})." in page
    assert "Lawyer's named calendar" not in page


def test_withdrawing_another_consent_changes_no_feed(mini_client, lawyer, admin, cases):
    url = _named_feed(lawyer, admin)
    case = cases["shared"]
    consent = next(c for c in case.consents if c.scope == "litigation")
    withdraw = f"/cases/{case.id}/consents/{consent.id}/withdraw"
    sign_in(mini_client, lawyer)
    response = post_form(
        mini_client, withdraw, {"withdrawn_on": "2026-11-25", "version": str(consent.version)}
    )
    page = mini_client.get(response.headers["Location"]).get_data(as_text=True)
    flashes = " ".join(re.findall(r'class="flash [^"]*">([^<]*)<', page))
    assert "Consent withdrawn" in flashes and "calendar feed" not in flashes
    assert NAMES["shared"] in _feed(mini_client, url)
