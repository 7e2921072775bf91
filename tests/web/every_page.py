"""Every page of the app, for each role, over the demo data: what the page-wide checks visit.

`demo_site` loads `litigation demo` once per test module (the casework of 40 cases walked
through the real operations, with contacts, examinations, hearings and survivors with several
cases) and signs nobody in; `pages_for(app, user)` lists one address for every GET page of
`app.url_map`, its ids filled from what that user may see. Loaded by tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask, url_for
from werkzeug.routing import Rule

from litigation.cases import ProceedingState
from litigation.cases.access import visible_cases
from litigation.cli.demo import load_demo
from litigation.db import db
from litigation.feeds.subscriptions import create_feed
from litigation.models import (
    Case,
    CaseContact,
    ConsentRecord,
    Deadline,
    Document,
    Event,
    FeedKind,
    FeedSubscription,
    Hearing,
    MedicalExamination,
    Notification,
    NotificationStatus,
    Proceeding,
    Role,
    User,
)
from litigation.registry import current_registry

ROLES = (Role.ADMIN, Role.COORDINATOR, Role.LAWYER, Role.STAFF)
# Files and data, not pages: calendar downloads (.ics), tables as CSV, the JSON API, assets.
DOWNLOADS = re.compile(r"\.(ics|csv|pdf|json)$|^/api/|^/static/")
# Pages only a signed-out visitor sees (signed in, they lead home).
SIGNED_OUT = ("auth.login", "auth.login_code")
# States of a page worth reading too: the calculator's reasoning over holidays and weekends
# (New Year and Orthodox Christmas in Kazakhstan; Navruz and a decreed day off in Tajikistan).
VARIANTS = {
    "calculator.index": (
        "anchor=2025-12-29&amount=3&unit=d&calendar=KZ&roll=y",
        "anchor=2026-03-19&amount=1&unit=d&calendar=TJ&roll=y",
        "anchor=2026-12-10&amount=2&unit=m&calendar=none",
    ),
    "admin.notifications": ("status=failed", "status=sent", "status=pending"),
}
# Demo users carry English-looking names ("Erlan Lawyer"); as people they get Russian ones,
# so that a page's own words, not its data, are what the Russian check reads.
RUSSIAN_NAMES = {
    Role.ADMIN: "Айгерим Сапарова",
    Role.COORDINATOR: "Дана Ахметова",
    Role.LAWYER: "Ерлан Касымов",
    Role.STAFF: "Самал Нурова",
}


@dataclass(frozen=True)
class Site:
    """The demo data loaded once, and a password for every demo user."""

    app: Flask
    passwords: dict[str, str]
    today: dt.date

    def user(self, role: Role) -> User:
        """The first demo user of a role."""
        query = db.select(User).where(User.role == role.value).order_by(User.id)
        return db.session.scalars(query).first()


def _passwords(path: Path) -> dict[str, str]:
    # "  lawyer       lawyer1@demo.example          <password>"
    found = (line.split() for line in path.read_text(encoding="utf-8").splitlines()[1:])
    return {parts[1]: parts[2] for parts in found if len(parts) == 3}


def _russian_users() -> None:
    counts: dict[str, int] = {}
    for user in db.session.scalars(db.select(User).order_by(User.id)):
        counts[user.role] = counts.get(user.role, 0) + 1
        suffix = f" {counts[user.role]}" if counts[user.role] > 1 else ""
        user.name = RUSSIAN_NAMES[Role(user.role)] + suffix
        user.language = "ru"


def _feeds() -> None:
    """A calendar feed for every user, so that the calendars page lists one."""
    for user in db.session.scalars(db.select(User)):
        create_feed(user, user, kind=FeedKind.MINE, name="Мои сроки")


def _outbox() -> None:
    """E-mail to the first lawyer about their first open deadline, in every state, so that
    the admin's outbox page lists rows with a reference, a step, an error and a button."""
    lawyer = db.session.scalars(db.select(User).where(User.role == Role.LAWYER)).first()
    deadline = db.session.scalars(
        db.select(Deadline)
        .join(Proceeding)
        .where(Proceeding.case_id.in_([case.id for case in lawyer.cases]))
        .where(Deadline.status == "open")
        .order_by(Deadline.due_date)
    ).first()
    for status in NotificationStatus:
        failed = status in (NotificationStatus.FAILED, NotificationStatus.DROPPED)
        db.session.add(
            Notification(
                key=f"demo-{status}",
                kind="reminder",
                user_id=lawyer.id,
                case_id=deadline.proceeding.case_id,
                deadline_id=deadline.id,
                details={"days_left": 3},
                status=status,
                attempts=3 if failed else 1,
                last_error="SMTP 421" if failed else None,
            )
        )


@pytest.fixture(scope="module")
def demo_site(_apps) -> Iterator[Site]:
    """The shipped app over `litigation demo` data as of the tests' today, for a whole module."""
    from ..conftest import TODAY, _empty_tables

    app = _apps["shipped"]
    with app.app_context():
        load_demo(TODAY)
        _russian_users()
        _feeds()
        _outbox()
        db.session.commit()
        passwords = _passwords(Path(app.config["DEMO_CREDENTIALS_FILE"]))
        yield Site(app, passwords, TODAY)
        _empty_tables()


# Downloads whose address does not end in a file name: a document's version, a case summary
# as a PDF, a one-time password link (a token, not a page to visit).
DOWNLOAD_ENDPOINTS = {"documents.download", "summary.pdf", "password_reset.open_link"}


def page_rules(app: Flask) -> list[Rule]:
    """Every rule a browser opens as a page: GET, neither a download nor an API."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods
            and not DOWNLOADS.search(rule.rule)
            and rule.endpoint not in DOWNLOAD_ENDPOINTS
        ),
        key=lambda rule: rule.rule,
    )


@dataclass
class _Ids:
    """The rows a user's pages are about, each chosen among the cases the user may see."""

    user: User
    today: dt.date

    def __post_init__(self) -> None:
        query = visible_cases(self.user).order_by(Case.id)
        self.cases = list(db.session.scalars(query))
        self.case = max(self.cases, key=self._richness) if self.cases else None

    def _richness(self, case: Case) -> tuple:
        open_ones = sum(1 for p in case.proceedings for d in p.deadlines if d.is_open)
        return (
            len(case.survivor.cases) > 1,
            bool(self._first(Hearing, case)),
            bool(self._first(CaseContact, case)),
            bool(self._first(MedicalExamination, case)),
            len(case.proceedings),
            open_ones,
        )

    def _first(self, model, case: Case | None = None):
        ids = [case.id] if case else [c.id for c in self.cases]
        query = db.select(model).where(model.case_id.in_(ids))
        if model is Hearing:
            query = query.where(Hearing.cancelled_at.is_(None))
        if model is CaseContact:
            query = query.where(CaseContact.removed_at.is_(None))
        if model is Document:
            query = query.where(Document.removed_at.is_(None))
        if model is ConsentRecord:
            query = query.where(ConsentRecord.withdrawn_on.is_(None))
        return db.session.scalars(query.order_by(model.id)).first()

    def step(self) -> tuple[Proceeding, str] | None:
        """An open proceeding of the main case (else any) with a step available now."""
        registry = current_registry()
        for case in [self.case, *self.cases]:
            for proceeding in case.proceedings if case else ():
                if proceeding.closed_on or proceeding.route not in registry.workflows.routes:
                    continue
                state = ProceedingState.of(registry, proceeding, self.today)
                for step in state.steps:
                    if step.available:
                        return proceeding, step.transition.trigger
        return None

    def open_deadline(self) -> Deadline | None:
        ids = [p.id for c in self.cases for p in c.proceedings]
        query = db.select(Deadline).where(
            Deadline.proceeding_id.in_(ids), Deadline.status == "open"
        )
        return db.session.scalars(query.order_by(Deadline.due_date)).first()

    def event(self) -> Event | None:
        ids = [p.id for p in self.case.proceedings] if self.case else []
        query = db.select(Event).where(Event.proceeding_id.in_(ids)).order_by(Event.id.desc())
        return db.session.scalars(query).first()

    def feed(self) -> FeedSubscription:
        """The user's calendar feed (one is made, as the calendars page would, if none is)."""
        query = db.select(FeedSubscription).where(
            FeedSubscription.owner_id == self.user.id, FeedSubscription.revoked_at.is_(None)
        )
        feed = db.session.scalars(query).first()
        if feed is None:
            feed, _token = create_feed(self.user, self.user, kind=FeedKind.MINE)
            db.session.commit()
        return feed

    def survivor_id(self) -> int | None:
        people = [c.survivor for c in self.cases]
        return max(people, key=lambda s: len(s.cases)).id if people else None


def richest_case(user: User, today: dt.date) -> Case | None:
    """The case of `user` with the most to show: a survivor with several cases, hearings,
    contacts, an examination, proceedings and open deadlines."""
    return _Ids(user, today).case


def _values(rule: Rule, ids: _Ids) -> list[dict] | None:
    """The arguments to build the rule's address with, or None when there is nothing to show."""
    args = set(rule.arguments)
    if not args:
        return [{}]
    if args == {"route_id"}:
        return [{"route_id": route} for route in current_registry().workflows.routes]
    if args == {"user_id"}:
        other = db.session.scalars(db.select(User).where(User.role == "lawyer")).first()
        return [{"user_id": other.id}]
    if args == {"feed_id"}:
        return [{"feed_id": ids.feed().id}]
    if args == {"survivor_id"}:
        return [{"survivor_id": ids.survivor_id()}] if ids.survivor_id() else None
    if not ids.case:
        return None
    return _case_values(args, ids)


def _case_values(args: set[str], ids: _Ids) -> list[dict] | None:
    case_id = ids.case.id
    if args == {"case_id"}:
        return [{"case_id": case_id}]
    if "trigger" in args:
        found = ids.step()
        if not found:
            return None
        proceeding, trigger = found
        return [{"case_id": proceeding.case_id, "proceeding_id": proceeding.id, "trigger": trigger}]
    if args == {"case_id", "proceeding_id"}:
        proceeding = next(iter(ids.case.proceedings), None)
        return [{"case_id": case_id, "proceeding_id": proceeding.id}] if proceeding else None
    if args == {"case_id", "event_id"}:
        event = ids.event()
        return [{"case_id": case_id, "event_id": event.id}] if event else None
    if args == {"case_id", "deadline_id"}:
        deadline = ids.open_deadline()
        if not deadline:
            return None
        return [{"case_id": deadline.proceeding.case_id, "deadline_id": deadline.id}]
    models = {
        "contact_id": CaseContact,
        "hearing_id": Hearing,
        "document_id": Document,
        "consent_id": ConsentRecord,
    }
    [name] = args - {"case_id"}
    row = ids._first(models[name]) if name in models else None
    return [{"case_id": row.case_id, name: row.id}] if row else None


def pages_for(app: Flask, user: User | None, today: dt.date) -> list[tuple[str, str]]:
    """(endpoint, address) of every page `user` may open (None: a signed-out visitor); pages
    for everyone are listed for every role, so that a refusal is checked as a page too."""
    rules = page_rules(app)
    if user is None:
        return [(rule.endpoint, rule.rule) for rule in rules if rule.endpoint in SIGNED_OUT]
    ids = _Ids(user, today)
    pages = []
    with app.test_request_context():
        for rule in rules:
            if rule.endpoint in SIGNED_OUT:
                continue
            for values in _values(rule, ids) or ():
                url = url_for(rule.endpoint, **values)
                pages.append((rule.endpoint, url))
                pages.extend((rule.endpoint, f"{url}?{q}") for q in VARIANTS.get(rule.endpoint, ()))
    pages.append(("errors.not_found", "/no-such-page"))
    return pages


# The pages being reworked on other branches (issue 12), by group: the page-wide checks report
# them apart, so that their findings are visible while the rest of the app is held to them.
# Every other page is this branch's: the menu, My work, sign-in and account pages, routes, the
# calculator, survivors, contacts, examinations and hearings forms, error pages.
REWORKED = "issue 12: being reworked on another branch"
GROUPS = {
    "the case page": ("cases.show",),
    "the cases list": ("cases.index",),
    "the new-case form and case edit": ("cases.new", "cases.edit"),
    "the step forms": (
        "proceedings.fire_step",
        "proceedings.override",
        "proceedings.correct",
        "history.sequence",
        "history.step",
    ),
    "the admin pages": (
        "admin.users",
        "admin.edit_user",
        "admin.new_user",
        "admin.notifications",
        "audit.index",
    ),
    "the dashboard pages": (
        "dashboard.index",
        "dashboard.ball",
        "dashboard.stuck",
        "dashboard.risk",
        "dashboard.workload",
        "dashboard.funnel",
        "dashboard.indicators",
        "dashboard.new_lawyer",
    ),
    "the calendars page": ("feeds.index",),
}
OWN = "the shell and its pages"
GROUP_OF = {endpoint: group for group, endpoints in GROUPS.items() for endpoint in endpoints}
# Who opens the pages of a group (the others are refused: the error page is this branch's).
OPENED_BY = {
    "the admin pages": (Role.ADMIN,),
    "the dashboard pages": (Role.ADMIN, Role.COORDINATOR),
}


def group_of(endpoint: str, status: int) -> str:
    """A page's group; a refusal or a missing page is the error page's, whatever was asked."""
    return OWN if status >= 400 else GROUP_OF.get(endpoint, OWN)


def role_and_group_cases(expected_to_fail: tuple[str, ...]) -> list:
    """(role, group) parameters for every role and group, and the shell for a visitor too;
    the groups expected to fail are marked so for the roles that open them."""

    def case(role: Role, group: str):
        waits = group in expected_to_fail and role in OPENED_BY.get(group, ROLES)
        marks = [pytest.mark.xfail(strict=False, reason=REWORKED)] if waits else []
        return pytest.param(role, group, marks=marks, id=f"{role}-{group}")

    return [case(role, group) for role in ROLES for group in GROUPS] + [
        pytest.param(role, OWN, id=f"{role or 'visitor'}-{OWN}") for role in (*ROLES, None)
    ]
