"""The admins' page of the audit trail: who may read it, its filters and their messages, pages
of entries in words, and the CSV download that is safe in any spreadsheet and on the trail."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from zoneinfo import ZoneInfo

import pytest

from litigation.audit import record
from litigation.db import db
from litigation.models import AuditKind, Role
from litigation.web.audit import PAGE_SIZE
from litigation.web.audit_words import KIND_LABELS

from ..conftest import sign_in
from .trail import entries_after, everything_on_the_trail, last_id

ALMATY = ZoneInfo("Asia/Almaty")
SURVIVOR, CONTACT = "Асхат Нурланов", "+7 701 000 00 00"


def at(day: str, time: str = "12:00") -> dt.datetime:
    """A moment in Almaty, the zone the app shows times in (in 2001: +06, +07 in summer)."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=ALMATY)


def signed_in(app, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(client, user)
    return client


@pytest.fixture
def admin(mini_app, create_user_):
    return create_user_(Role.ADMIN, name="Admin", language="en")


@pytest.fixture
def world(mini_app, mini_registry, create_user_, create_case):
    """Two lawyers (one since deactivated), two cases, and entries across a year."""
    first = create_user_(Role.LAWYER, name="First Lawyer", language="en")
    gone = create_user_(Role.LAWYER, name="Gone Lawyer", language="en")
    facts = {"reported_on": dt.date(2026, 1, 12)}
    one, _ = create_case(
        mini_registry, "domestic", team=[first], facts=facts, survivor_name=SURVIVOR
    )
    two, _ = create_case(mini_registry, "domestic", team=[gone], facts=facts)
    mark = last_id()
    record(
        AuditKind.CASE_EDITED,
        actor=first,
        case=one,
        details={"authority": [None, "ДВД"]},
        at=at("2001-02-01"),
    )
    record(
        AuditKind.CONSENT_CHANGED,
        actor=gone,
        case=two,
        details={"consent_to_publication": [False, True]},
        at=at("2001-03-01", "00:30"),
    )
    record(
        AuditKind.DOWNLOAD,
        actor=first,
        details={"what": "csv", "table": "workload", "rows": 3},
        at=at("2001-04-15"),
    )
    record(
        AuditKind.TEAM_CHANGED,
        actor=gone,
        case=one,
        details={"removed": [], "added": [gone.id]},
        at=at("2001-05-20"),
    )
    gone.active = False
    db.session.commit()
    return {"first": first, "gone": gone, "one": one, "two": two, "mark": mark}


def listed(page: str) -> list[list[str]]:
    """The rows of the trail's table as text: time, who, what, case, details."""
    body = re.search(r'<table class="list audit">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        text = [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).replace("\u202f", " ") for cell in cells
        ]
        rows.append([cell.strip() for cell in text])
    return [row for row in rows if len(row) == 5]


def whats(client, query: str = "") -> list[str]:
    response = client.get(f"/admin/audit{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row[2] for row in listed(response.get_data(as_text=True))]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LAWYER, Role.STAFF])
def test_only_admins_read_the_trail(mini_app, create_user_, role):
    client = signed_in(mini_app, create_user_(role))

    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit?format=csv").status_code == 403
    assert "/admin/audit" not in client.get("/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(mini_app):
    response = mini_app.test_client().get("/admin/audit")

    assert response.status_code == 302 and "/login" in response.location


def test_the_admin_s_menu_links_the_trail(mini_app, admin):
    page = signed_in(mini_app, admin).get("/account").get_data(as_text=True)

    assert 'href="/admin/audit"' in page


def test_the_trail_is_newest_first_in_words(mini_app, admin, world):
    client = signed_in(mini_app, admin)

    rows = listed(client.get("/admin/audit").get_data(as_text=True))[-4:]  # before the setup

    assert rows == [
        [
            "May 20, 2001, 12:00:00 PM",
            "Gone Lawyer",
            "Case team changed",
            world["one"].reference,
            "joined: Gone Lawyer; left: —",
        ],
        ["Apr 15, 2001, 12:00:00 PM", "First Lawyer", "Download", "", "CSV table workload; 3 rows"],
        [
            "Mar 1, 2001, 12:30:00 AM",
            "Gone Lawyer",
            "Consent changed",
            world["two"].reference,
            "Informed consent to publication: no → yes",
        ],
        [
            "Feb 1, 2001, 12:00:00 PM",
            "First Lawyer",
            "Case details edited",
            world["one"].reference,
            "Authority allegedly responsible: — → ДВД",
        ],
    ]


def test_each_filter_narrows_the_trail(mini_app, admin, world):
    client = signed_in(mini_app, admin)
    one, gone = world["one"], world["gone"]

    assert whats(client, f"?person={gone.id}")[-2:] == ["Case team changed", "Consent changed"]
    assert whats(client, f"?case={one.reference}")[-2:] == [
        "Case team changed",
        "Case details edited",
    ]
    assert whats(client, "?kind=download") == ["Download"]
    assert whats(client, "?since=2001-03-01&until=2001-04-15") == ["Download", "Consent changed"]
    # The days are Almaty's: half past midnight on March 1 there is still February in UTC.
    assert "Consent changed" not in whats(client, "?until=2001-02-28")
    assert whats(client, f"?person={gone.id}&kind=team_changed&case={one.reference}") == [
        "Case team changed"
    ]


def test_the_person_filter_offers_every_account_active_or_not(mini_app, admin, world):
    page = signed_in(mini_app, admin).get("/admin/audit").get_data(as_text=True)

    assert (
        f'<option value="{world["gone"].id}">Gone Lawyer ({world["gone"].email}) — inactive' in page
    )
    with mini_app.test_request_context(headers={"Accept-Language": "en"}):
        labels = [str(label) for label in KIND_LABELS.values()]
    for label in labels:
        assert f">{html.escape(label)}</option>" in page


def test_every_kind_of_entry_has_a_label():
    assert set(KIND_LABELS) == set(AuditKind)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?since=1899-12-31", "since", "Give a date between 1900 and 2200."),
        ("?until=2201-01-01", "until", "Give a date between 1900 and 2200."),
        ("?since=2001-02-30", "since", "Not a valid date value."),
        (
            "?since=2001-05-01&until=2001-04-01",
            "until",
            "The end of the period is before its start.",
        ),
        ("?case=NO-SUCH-CASE", "case", "No case has this reference."),
        ("?person=999999", "person", "Not a valid choice."),
        ("?kind=deleted_everything", "kind", "Not a valid choice."),
    ],
)
def test_a_wrong_filter_is_said_next_to_its_field_and_kept(
    mini_app, admin, world, query, field, message
):
    client = signed_in(mini_app, admin)

    response = client.get(f"/admin/audit{query}")
    page = response.get_data(as_text=True)

    assert response.status_code == 400
    block = re.search(rf'<div class="field has-error">\s*<label for="{field}".*?</div>', page, re.S)
    assert block and message in block.group(0)
    if field in ("since", "until", "case"):
        assert f'value="{query.rsplit("=", 1)[1]}"' in page  # what was typed is kept
    assert listed(page) == []
    assert client.get(f"/admin/audit{query}&format=csv").status_code == 400


def test_the_trail_comes_a_hundred_entries_a_page(mini_app, admin):
    for n in range(PAGE_SIZE + 5):
        record(
            AuditKind.DOWNLOAD,
            actor=admin,
            details={"what": "csv", "table": f"t{n}"},
            at=at("2001-01-01") + dt.timedelta(minutes=n),
        )
    db.session.commit()
    client = signed_in(mini_app, admin)

    first = client.get("/admin/audit?kind=download").get_data(as_text=True)
    second = client.get("/admin/audit?kind=download&page=2").get_data(as_text=True)

    assert len(listed(first)) == PAGE_SIZE and "Page 1 of 2" in first
    assert "page=2" in first and "kind=download" in first
    assert [row[4] for row in listed(second)] == [f"CSV table t{n}" for n in (4, 3, 2, 1, 0)]


def csv_cells(text: str, separator: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row]


def test_the_csv_holds_the_filtered_entries_and_is_itself_on_the_trail(mini_app, admin, world):
    client, mark = signed_in(mini_app, admin), last_id()
    one = world["one"]

    response = client.get(
        f"/admin/audit?case={one.reference}&since=2001-01-01&until=2001-12-31&format=csv"
    )

    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [
        ["Time", "Who", "What", "Case", "Details"],
        [
            at("2001-05-20").isoformat(),
            "Gone Lawyer",
            "Case team changed",
            one.reference,
            "joined: Gone Lawyer; left: —",
        ],
        [
            at("2001-02-01").isoformat(),
            "First Lawyer",
            "Case details edited",
            one.reference,
            "Authority allegedly responsible: — → ДВД",
        ],
    ]
    [download] = entries_after(mark)
    assert (download.kind, download.actor_id) == (AuditKind.DOWNLOAD, admin.id)
    assert download.details == {
        "what": "csv",
        "table": "audit",
        "rows": 2,
        "filters": {"case": one.reference, "since": "2001-01-01", "until": "2001-12-31"},
    }
    page = client.get("/admin/audit?kind=download").get_data(as_text=True)
    assert f"only case {one.reference}" in page


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_no_cell_of_the_csv_becomes_a_formula_whatever_the_separator(
    mini_app, admin, create_user_, separator
):
    evil = create_user_(
        Role.LAWYER, name='=HYPERLINK("http://evil.example";"x")', email="evil@example.org"
    )
    record(AuditKind.SIGN_IN_FAILED, actor=None, details={"email": "@SUM(A1);-1+2\tx"})
    record(AuditKind.DOWNLOAD, actor=evil, details={"what": "csv", "table": "+cmd|' /C calc'!A0"})
    db.session.commit()

    text = signed_in(mini_app, admin).get("/admin/audit?format=csv").get_data(as_text=True)

    cells = csv_cells(text.lstrip("\ufeff"), separator)
    assert not [
        cell for cell in cells if cell.strip('"').startswith(("=", "+", "-", "@", "\t", "\r"))
    ]
    assert '\'=HYPERLINK("http://evil.example";"x")' in csv_cells(text.lstrip("\ufeff"), ",")


def test_no_survivor_data_or_feed_token_is_on_the_trail_or_in_its_csv(
    mini_app, admin, world, create_user_
):
    from ..conftest import post_form
    from ..pages import form_with

    one = world["one"]
    lawyer = signed_in(mini_app, world["first"])
    form = form_with(lawyer.get(f"/cases/{one.id}/edit").get_data(as_text=True), "version")
    form |= {"notes": [f"{SURVIVOR} fears reprisals"]}
    assert lawyer.post(f"/cases/{one.id}/edit", data=form).status_code == 302
    person = f"/survivors/{one.survivor_id}/edit"
    form = form_with(lawyer.get(person).get_data(as_text=True), "version")
    form |= {"contact": [CONTACT], "notes": [f"{SURVIVOR} moved"], "birth_year": ["1990"]}
    assert lawyer.post(person, data=form).status_code == 302
    created = post_form(lawyer, "/calendars", {"kind": "case", "case": one.reference})
    shown = lawyer.get(created.location).get_data(as_text=True)
    [token] = set(re.findall(r"/calendars/([\w-]+)\.ics", shown))
    assert lawyer.get(f"/calendars/{token}.ics").status_code == 200

    client = signed_in(mini_app, admin)
    shown = client.get("/admin/audit").get_data(as_text=True)
    download = client.get("/admin/audit?format=csv").get_data(as_text=True)

    assert "Notes: changed" in html.unescape(shown)
    assert "Contact (kept minimal): changed; Notes on the person: changed" in html.unescape(shown)
    assert "Year of birth: changed" in html.unescape(shown)
    for secret in (SURVIVOR, CONTACT, token):
        assert secret not in everything_on_the_trail()
        assert secret not in download
        assert secret not in shown


def test_details_of_an_unknown_shape_are_shown_as_stored_not_an_error(mini_app, admin):
    record(AuditKind.TEAM_CHANGED, actor=admin, details={"added": [{"id": 1}], "removed": 3})
    record(AuditKind.STEP, actor=admin, details={"route": ["not", "a", "route"]})
    db.session.commit()

    response = signed_in(mini_app, admin).get("/admin/audit")

    assert response.status_code == 200
    texts = [row[4] for row in listed(response.get_data(as_text=True))]
    assert '{"route": ["not", "a", "route"]}' in texts
    assert '{"added": [{"id": 1}], "removed": 3}' in texts
