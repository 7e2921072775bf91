"""`litigation demo --cases N --seed S`: bulk demo data of the whole product, reproducible."""

from __future__ import annotations

import re

from litigation.cases.totals import counted
from litigation.db import db
from litigation.models import (
    Case,
    CaseContact,
    ConsentRecord,
    Deadline,
    DeadlineTotal,
    Document,
    Event,
    FeedSubscription,
    Hearing,
    Proceeding,
    Survivor,
    User,
)

from ..conftest import TODAY, _empty_tables, csrf_token

ARGS = ["demo", "--cases", "50", "--seed", "3", "--today", TODAY.isoformat()]
# What a seed decides (not the password, the feeds' tokens or the documents' nonces).
COLUMNS = {
    Survivor: ("id", "name", "sex", "birth_year"),
    Case: ("id", "reference", "jurisdiction", "survivor_id", "opened_on"),
    Proceeding: ("id", "case_id", "route", "stage", "closed_on", "parent_id"),
    Event: ("id", "proceeding_id", "trigger", "occurred_on"),
    Deadline: ("id", "proceeding_id", "rule", "due_date", "status"),
    Hearing: ("id", "case_id", "kind", "starts_on", "zone"),
    CaseContact: ("id", "case_id", "name", "role"),
    ConsentRecord: ("case_id", "scope", "withdrawn_on"),
    Document: ("id", "case_id", "event_id"),
    FeedSubscription: ("owner_id", "kind"),
}


def _snapshot() -> dict[str, list[tuple]]:
    return {
        model.__name__: sorted(
            map(tuple, db.session.execute(db.select(*(getattr(model, c) for c in columns))))
        )
        for model, columns in COLUMNS.items()
    }


def _signed_in(app, email: str, password: str):
    client = app.test_client()
    token = csrf_token(client, "/login")
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert answer.status_code == 302, answer.status_code
    return client


def test_demo_cases_writes_the_whole_product_and_refuses_a_second_time(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    password = re.search(r"coordinator\s+coordinator@demo\.example\s+(\S+)", result.output)[1]
    assert re.search(rf"lawyer\s+lawyer1@demo\.example\s+{re.escape(password)}", result.output)
    assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 50
    people = db.session.scalar(db.select(db.func.count()).select_from(Survivor))
    assert people < 50, "some survivors have several cases"
    assert set(db.session.scalars(db.select(Hearing.zone))) == {"Asia/Almaty", "Asia/Dushanbe"}
    days = set(db.session.scalars(db.select(Hearing.starts_on)))
    assert min(days) < TODAY < max(days), "hearings past and to come"
    assert set(db.session.scalars(db.select(FeedSubscription.kind))) == {"team", "mine"}

    again = runner.invoke(args=ARGS)
    assert again.exit_code != 0
    assert "empty" in again.output
    skipped = runner.invoke(args=[*ARGS, "--if-empty"])
    assert skipped.exit_code == 0 and "already present" in skipped.output


def test_demo_cases_pages_open_and_documents_decrypt(app):
    result = app.test_cli_runner().invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    password = re.search(r"coordinator\s+\S+\s+(\S+)", result.output)[1]
    coordinator = _signed_in(app, "coordinator@demo.example", password)
    document = db.session.scalars(db.select(Document)).first()
    busy = db.session.scalar(db.select(Hearing.case_id).limit(1))
    pages = [
        "/cases",
        f"/cases/{document.case_id}",
        f"/cases/{busy}",
        f"/cases/{document.case_id}/documents/{document.id}",
        f"/cases/{document.case_id}/documents/{document.id}/versions/1",
        "/dashboard",
        "/dashboard/ball",
    ]
    for page in pages:
        assert coordinator.get(page).status_code == 200, page
    lawyer_id = db.session.scalar(db.select(User.id).where(User.email == "lawyer1@demo.example"))
    lawyer = _signed_in(app, "lawyer1@demo.example", password)
    assert lawyer.get("/my-work").status_code == 200
    assert lawyer_id is not None


def test_demo_cases_same_seed_same_data(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=ARGS).exit_code == 0
    first = _snapshot()
    _empty_tables()
    assert runner.invoke(args=ARGS).exit_code == 0
    assert _snapshot() == first
    _empty_tables()
    other = runner.invoke(args=[*ARGS[:-4], "--seed", "4", "--today", TODAY.isoformat()])
    assert other.exit_code == 0
    assert _snapshot() != first


def test_demo_cases_are_found_by_the_cases_list_as_the_operations_would_keep_them(app):
    result = app.test_cli_runner().invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    password = re.search(r"coordinator\s+\S+\s+(\S+)", result.output)[1]
    coordinator = _signed_in(app, "coordinator@demo.example", password)
    case = db.session.scalars(db.select(Case).order_by(Case.id.desc())).first()
    earliest = db.session.scalar(
        db.select(db.func.min(Deadline.due_date))
        .join(Proceeding)
        .where(Proceeding.case_id == case.id, Deadline.status == "open")
    )

    surname = case.survivor.name.split()[-1].upper()
    page = coordinator.get("/cases", query_string={"q": surname}).get_data(as_text=True)

    assert case.next_due == earliest
    assert case.reference in page
    others = db.session.scalars(db.select(Case).where(Case.id != case.id)).all()
    assert any(other.reference not in page for other in others)  # the search narrowed the list


def test_demo_cases_count_the_closed_deadlines_as_the_operations_keep_them(app):
    result = app.test_cli_runner().invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    kept = {
        (t.party, t.jurisdiction, t.authority, t.route, t.stage, t.rule): (
            t.ran,
            t.days,
            t.missed,
            t.days_late,
        )
        for t in db.session.scalars(db.select(DeadlineTotal))
    }
    rows = db.session.execute(counted(db.session.get_bind().dialect.name))
    assert kept == {tuple(row[:6]): tuple(int(v) for v in row[6:]) for row in rows} != {}
