"""No input gives a 500: property-based requests over every page, form, query string and the
JSON API, signed in as an admin (who may reach every page). Marked slow: run once in CI."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litigation.cases import fire
from litigation.db import db
from litigation.documents import Upload, upload_document, vault_of
from litigation.models import Deadline, Event, Role

from ..conftest import TODAY, sign_in

pytestmark = pytest.mark.slow

D = dt.date
HUGE = [2**31 - 1, 2**31, 2**63, 2**63 - 1, 2**64 + 5, -1, 0, 10**30]
# Values that broke pages before: huge integers, NUL bytes, bad dates, long and odd text.
NASTY = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "9999-12-31",
            "0001-01-01",
            "2026-02-30",
            "1e309",
            "NaN",
            "-5",
            "on",
            "y",
            "true",
            "<script>",
            "=1+1",
            "🙂" * 50,
            "x" * 5000,
            "кириллица\nперенос",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
)
PARAMS = [
    "page",
    "q",
    "route",
    "stage",
    "lawyer",
    "overdue",
    "sort",
    "jurisdiction",
    "format",
    "table",
    "start",
    "end",
    "show",
    "party",
    "anchor",
    "amount",
    "unit",
    "calendar",
    "roll",
    "next",
    "version",
    "kind",
    "names",
    "with_names",
]
FIELDS = [
    "email",
    "password",
    "remember",
    "reference",
    "survivor_name",
    "jurisdiction",
    "incident_date",
    "opened_on",
    "route",
    "route_opened_on",
    "running",
    "first_fact",
    "team",
    "decided_on",
    "learned_on",
    "outcome",
    "occurred_on",
    "note",
    "version",
    "due_date",
    "reason",
    "name",
    "kind",
    "case",
    "lawyer",
    "stage",
    "with_names",
    "role",
    "language",
    "active",
    "current",
    "new",
    "repeat",
    "reprisal_risk",
    "forensic_exam_on",
    "code",
    "secret",
    "confirm_password",
    "confirm_code",
    "next",
    "scope",
    "given_on",
    "form",
    "withdrawn_on",
    "withdrawal_note",
    "consent_litigation",
    "consent_given_on",
    "consent_form",
    "title",
    "description",
    "tie",
    "file",
    "number",
    "suggested_reference",
]


@pytest.fixture
def world(mini_app, mini_registry, create_case, create_user_):
    """A signed-in admin's client, with a case whose step opened a deadline."""
    admin = create_user_(Role.ADMIN, language="en")
    case, proceeding = create_case(
        mini_registry, "domestic", team=[admin], facts={"reported_on": D(2026, 1, 12)}
    )
    facts = {"decided_on": D(2026, 3, 5), "learned_on": D(2026, 3, 10), "outcome": "refused"}
    fire(
        mini_registry, proceeding, "decide", actor=None, occurred_on=None, today=TODAY, facts=facts
    )
    document = upload_document(
        case,
        {"title": "Evidence", "kind": "evidence"},
        Upload("note.txt", b"a note", 6),
        actor=admin,
        vault=vault_of(mini_app),
    )
    db.session.commit()
    client = mini_app.test_client()
    sign_in(client, admin)
    mini_app.config["WTF_CSRF_ENABLED"] = False  # reach the form handling itself
    ids = {
        "case_id": case.id,
        "proceeding_id": proceeding.id,
        "event_id": db.session.scalars(db.select(Event.id)).first(),
        "deadline_id": db.session.scalars(db.select(Deadline.id)).first(),
        "user_id": admin.id,
        "document_id": document.id,
        "feed_id": 1,
        "trigger": "appeal",
        "route_id": "domestic",
        "token": "nope",
    }
    rules = [r for r in mini_app.url_map.iter_rules() if r.endpoint != "static"]
    yield client, ids, rules
    mini_app.config["WTF_CSRF_ENABLED"] = True


def _url(rule, ids, data) -> str:
    values = {}
    for name in rule.arguments:
        real = ids.get(name, 1)  # a record this world has no id for: the first, or none
        values[name] = data.draw(st.sampled_from([real, *HUGE])) if isinstance(real, int) else real
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    return path


@settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_request_answers_500(world, data):
    client, ids, rules = world
    rule = data.draw(st.sampled_from(rules))
    url = _url(rule, ids, data)
    query = data.draw(st.dictionaries(st.sampled_from(PARAMS), NASTY, max_size=4))
    method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
    if method == "GET":
        response = client.get(url, query_string=query)
    elif "/api/" in url:
        body = data.draw(
            st.one_of(
                st.dictionaries(
                    st.sampled_from(["trigger", "occurred_on", "facts", "version", "note"]),
                    st.recursive(
                        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                        lambda inner: (
                            st.lists(inner, max_size=3)
                            | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                        ),
                        max_leaves=20,
                    ),
                ),
                st.text(max_size=30),
            )
        )
        response = client.post(url, json=body)
    else:
        form = data.draw(st.dictionaries(st.sampled_from(FIELDS), NASTY, max_size=8))
        response = client.post(url, data=form)
    assert response.status_code < 500, (method, url, query, response.status_code)
    assert b"Traceback" not in response.data
