"""Survivors as people through the web: one record per person, however many cases; a name
like one already recorded (case, ё/е and word order folded) asks whether it is the same
person and keeps what was typed; the person's page shows only the cases the reader may see;
edits are versioned; the donor indicators count people once, by sex and age."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from litigation.db import db
from litigation.models import AuditEntry, AuditKind, Case, Role, Survivor

from ..conftest import post_form, sign_in
from ..pages import form_with

pytestmark = pytest.mark.usefixtures("english_browser")

NEW_CASE = {
    "reference": "KZ-2026-700",
    "jurisdiction": "KZ",
    "opened_on": "2026-11-20",
    "route": "domestic",
    "route_opened_on": "2026-11-20",
    "first_fact": "2026-11-19",
    "survivor_name": "Семёнов Артём",
    "survivor_sex": "male",
    "survivor_birth_year": "2010",
    "survivor_contact": "+7 700 000 00 00",
    "survivor_reprisal_risk": "medium",
}


def _open(client, **changes):
    return post_form(client, "/cases/new", {**NEW_CASE, **changes})


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _case(reference: str) -> Case:
    db.session.expire_all()
    return db.session.scalar(db.select(Case).where(Case.reference == reference))


@pytest.fixture
def opened(mini_client, lawyer):
    """A lawyer has opened a case for Семёнов Артём, born 2010."""
    sign_in(mini_client, lawyer)
    assert _open(mini_client).status_code == 302
    return _case("KZ-2026-700")


def test_opening_a_case_records_the_person_and_the_case_page_shows_them(mini_client, opened):
    person = opened.survivor
    assert (person.name, person.sex, person.birth_year, person.reprisal_risk) == (
        "Семёнов Артём",
        "male",
        2010,
        "medium",
    )
    assert person.name_folded == "семенов артем"
    page = mini_client.get(f"/cases/{opened.id}").get_data(as_text=True)
    assert f'href="/survivors/{person.id}">Семёнов Артём</a> · Male, born 2010' in page


@pytest.mark.parametrize("typed", ["СЕМЕНОВ АРТЕМ", "артём  семёнов", "Семенов"])
def test_a_similar_name_asks_whether_it_is_the_same_person_and_writes_nothing(
    mini_client, opened, typed
):
    before = (_count(Case), _count(Survivor), _count(AuditEntry))

    answer = _open(mini_client, reference="KZ-2026-701", survivor_name=typed)

    assert answer.status_code == 400
    page = html.unescape(answer.get_data(as_text=True))
    assert "A person with a similar name is already recorded" in page
    assert f'value="{opened.survivor_id}"' in page  # offered, with what tells them apart
    assert "Семёнов Артём · Male, born 2010 · KZ-2026-700" in page
    assert f'value="{typed}"' in page and 'value="KZ-2026-701"' in page  # input kept
    assert (_count(Case), _count(Survivor), _count(AuditEntry)) == before


def test_choosing_the_person_recorded_links_the_new_case_to_them(mini_client, opened):
    answer = _open(
        mini_client,
        reference="KZ-2026-701",
        survivor_name="",
        existing_survivor=str(opened.survivor_id),
    )

    assert answer.status_code == 302
    second = _case("KZ-2026-701")
    assert second.survivor_id == opened.survivor_id
    assert _count(Survivor) == 1
    page = mini_client.get(f"/survivors/{opened.survivor_id}").get_data(as_text=True)
    assert "KZ-2026-700" in page and "KZ-2026-701" in page
    case_page = mini_client.get(f"/cases/{opened.id}").get_data(as_text=True)
    assert f'href="/cases/{second.id}">KZ-2026-701</a>' in case_page  # other cases of theirs


def test_another_case_for_the_person_from_their_page(mini_client, opened):
    page = mini_client.get(f"/survivors/{opened.survivor_id}").get_data(as_text=True)
    assert f'href="/cases/new?survivor={opened.survivor_id}"' in page

    form = mini_client.get(f"/cases/new?survivor={opened.survivor_id}").get_data(as_text=True)

    assert f'value="{opened.survivor_id}" checked' in form or (
        f'checked id="existing_survivor-0" name="existing_survivor" type="radio" '
        f'value="{opened.survivor_id}"' in form
    )
    assert 'name="survivor_name"' not in form  # the person is known: nothing to type


def test_a_different_person_with_the_same_name_is_recorded_apart(mini_client, opened):
    answer = _open(
        mini_client,
        reference="KZ-2026-701",
        survivor_name="Семёнов Артём",
        survivor_birth_year="1980",
        different_person="y",
    )

    assert answer.status_code == 302
    assert _count(Survivor) == 2
    assert _case("KZ-2026-701").survivor_id != opened.survivor_id


def test_a_lawyer_is_never_offered_nor_given_a_person_of_cases_they_cannot_see(
    mini_app, mini_client, opened, create_user_
):
    other = mini_app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(other, create_user_(Role.LAWYER, language="en"))

    typed_alike = _open(other, reference="KZ-2026-702")
    assert typed_alike.status_code == 302  # no suggestion: that person is not theirs to see
    chosen_by_id = _open(
        other,
        reference="KZ-2026-703",
        existing_survivor=str(opened.survivor_id),
        different_person="y",  # their own KZ-2026-702 is a person of that name too
    )
    assert chosen_by_id.status_code == 302
    assert _case("KZ-2026-703").survivor_id != opened.survivor_id
    assert other.get(f"/survivors/{opened.survivor_id}").status_code == 404
    assert other.get(f"/survivors/{opened.survivor_id}/edit").status_code == 404


def test_the_person_page_lists_only_the_cases_the_reader_may_see(
    mini_app, mini_registry, create_case, create_user_, opened
):
    colleague = create_user_(Role.LAWYER, language="en")
    hidden, _ = create_case(
        mini_registry, "domestic", team=[colleague], facts={"reported_on": dt.date(2026, 1, 12)}
    )
    hidden.survivor = opened.survivor
    db.session.commit()
    own = mini_app.test_client()
    sign_in(own, opened.team[0])

    page = own.get(f"/survivors/{opened.survivor_id}").get_data(as_text=True)

    assert "KZ-2026-700" in page and hidden.reference not in page


def test_a_bad_year_of_birth_is_shown_beside_the_field_and_the_input_kept(mini_client, lawyer):
    sign_in(mini_client, lawyer)

    answer = _open(mini_client, survivor_birth_year="2999")

    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert re.search(r'id="survivor_birth_year"[^>]*value="2999"', page)
    assert "Number must be between 1900 and 2200." in page or "Give a year between" in page
    assert _count(Case) == 0 and _count(Survivor) == 0


def test_a_year_of_birth_in_the_future_is_refused_by_the_record_itself(mini_client, lawyer):
    sign_in(mini_client, lawyer)

    answer = _open(mini_client, survivor_birth_year=str(dt.date.today().year + 1))

    assert answer.status_code == 400
    assert "Give a year between 1900 and" in answer.get_data(as_text=True)
    assert _count(Survivor) == 0


def test_the_person_is_edited_on_their_own_page_and_a_stale_form_is_refused(
    mini_app, mini_client, opened
):
    url = f"/survivors/{opened.survivor_id}/edit"
    first = form_with(mini_client.get(url).get_data(as_text=True), "version")
    second_client = mini_app.test_client()
    second_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(second_client, opened.team[0])
    second = form_with(second_client.get(url).get_data(as_text=True), "version")

    saved = second_client.post(url, data={**second, "reprisal_risk": ["high"]})
    stale = mini_client.post(url, data={**first, "name": ["Семёнов Артём Б."]})

    assert saved.status_code == 302
    assert stale.status_code == 409
    assert 'value="Семёнов Артём Б."' in stale.get_data(as_text=True)  # what was typed is kept
    db.session.expire_all()
    person = db.session.get(Survivor, opened.survivor_id)
    assert (person.name, person.reprisal_risk) == ("Семёнов Артём", "high")
    [entry] = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.kind == AuditKind.SURVIVOR_CHANGED)
    )
    assert entry.details == {
        "survivor": person.id,
        "changes": {"survivor_reprisal_risk": ["medium", "high"]},
    }


def test_staff_see_the_person_but_cannot_edit(mini_app, opened, create_user_):
    staff = create_user_(Role.STAFF, language="en")
    case = db.session.get(Case, opened.id)
    case.team.append(staff)
    db.session.commit()
    client = mini_app.test_client()
    sign_in(client, staff)

    assert client.get(f"/survivors/{opened.survivor_id}").status_code == 200
    assert client.get(f"/survivors/{opened.survivor_id}/edit").status_code == 403


@pytest.mark.parametrize("query", ["семенов", "АРТЕМ СЕМЁНОВ", "KZ-2026-700"])
def test_the_case_search_folds_case_and_yo_and_word_order(mini_client, opened, query):
    page = mini_client.get("/cases", query_string={"q": query}).get_data(as_text=True)

    assert "KZ-2026-700" in page


def test_the_survivors_name_never_reaches_the_audit_trail(mini_client, opened):
    stored = " ".join(str(entry.details) for entry in db.session.scalars(db.select(AuditEntry)))

    assert "Семёнов" not in stored and "+7 700" not in stored
    assert str(opened.survivor_id) in stored
