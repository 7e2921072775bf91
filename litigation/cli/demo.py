"""Realistic demo data: about 40 fictional cases walked along every route.

Cases are walked through the real operations (`open_proceeding`, `fire`), so every stage,
event and deadline is one the engine itself produced. Names are invented.

A coordinator judges the tool by its figures, so the demo keeps them believable: steps are
spread over the cases' lives (a step that would fall after "today" is not taken, rather than
piled onto today), and each case reaches the funnel's milestones in order (no UN submission
without exhausted remedies before it), so every step of the funnel holds at most the cases of
the step before it.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect

from ..accounts import create_user
from ..cases.consents import current_consents, record_consent, withdraw_consent
from ..cases.contacts import add_contact
from ..cases.examinations import record_examination
from ..cases.hearings import add_hearing
from ..cases.operations import fire, open_case, open_proceeding
from ..cases.state import ProceedingState
from ..cases.survivors import create_survivor
from ..dashboard.milestones import FUNNEL
from ..db import db, init_db, utcnow
from ..models import Case, Proceeding, Role, Survivor, User
from ..registry import current_registry
from ..workflows.loaded import Registry
from ..workflows.spec import ConsentScope, FactType, Route, Transition
from .demo_bulk import is_empty, load_bulk
from .demo_documents import demo_documents

SEED = 20261127
CASES = 40
USERS = [
    ("admin@demo.example", "Aigerim Admin", Role.ADMIN, "ru"),
    ("coordinator@demo.example", "Dana Coordinator", Role.COORDINATOR, "ru"),
    ("lawyer1@demo.example", "Erlan Lawyer", Role.LAWYER, "ru"),
    ("lawyer2@demo.example", "Zarina Lawyer", Role.LAWYER, "ru"),
    ("lawyer3@demo.example", "Farrukh Lawyer", Role.LAWYER, "ru"),
    ("staff@demo.example", "Sam Staff", Role.STAFF, "en"),
]
KZ_NAMES = [
    "Асхат Н.",
    "Болат К.",
    "Гульнар С.",
    "Ержан Т.",
    "Жанна М.",
    "Канат О.",
    "Марат Б.",
    "Нурлан А.",
    "Сауле Д.",
    "Талгат Ж.",
    "Айдос Р.",
    "Бауыржан Е.",
    "Дамир Х.",
    "Ербол И.",
]
TJ_NAMES = [
    "Фарход Р.",
    "Шерали Н.",
    "Мехрангез А.",
    "Далер С.",
    "Рустам Х.",
    "Зафар М.",
    "Нилуфар Д.",
    "Баходур К.",
    "Сухроб Т.",
    "Умед Ш.",
]
PLACES = {
    "KZ": ["ИВС ДП г. Алматы", "СИЗО г. Караганды", "УП г. Шымкент", "ИК г. Павлодар"],
    "TJ": ["ИВС ОВД р-на Сино", "СИЗО №1 г. Душанбе", "ОВД г. Худжанд"],
}
FORMS = ["избиение", "удушение пакетом", "угрозы", "лишение сна", "электрошок"]


def credentials_file() -> Path:
    """Where the demo logins are written: instance/demo-logins.txt unless configured."""
    configured = current_app.config.get("DEMO_CREDENTIALS_FILE")
    return Path(configured or Path(current_app.instance_path) / "demo-logins.txt")


def _demo_users() -> dict[str, User]:
    lines = ["Demo sign-in (fictional data; change or delete before real use):"]
    users = {}
    for email, name, role, language in USERS:
        password = secrets.token_urlsafe(9)
        users[email] = create_user(email, password, role, name=name, language=language)
        lines.append(f"  {role.value:12} {email:28} {password}")
    credentials_file().write_text("\n".join(lines) + "\n", encoding="utf-8")
    credentials_file().chmod(0o600)
    return users


def _fact_value(registry: Registry, name: str, day: dt.date, rng: random.Random) -> Any:
    spec = registry.workflows.facts[name]
    if spec.type is FactType.DATE:
        return day
    if spec.type is FactType.CHOICE:
        return rng.choice(spec.choices)
    if spec.type is FactType.BOOL:
        return rng.random() < 0.5
    return "Демо"


def _facts_for(
    registry: Registry, transition: Transition, day: dt.date, rng: random.Random
) -> dict:
    names = transition.records + ((transition.event_date,) if transition.event_date else ())
    return {name: _fact_value(registry, name, day, rng) for name in names}


def _funnel_steps(milestones: set[str]) -> set[int]:
    """The positions in the dashboard's funnel that these milestones reach."""
    return {index for index, (_key, names) in enumerate(FUNNEL) if milestones & set(names)}


def _in_order(reached: set[int], transition: Transition) -> bool:
    """Whether taking `transition` leaves the case's funnel steps without a gap: the case
    has reached every step before the last one it reaches."""
    after = reached | _funnel_steps({m.name for m in transition.milestones})
    return after == set(range(len(after)))


@dataclass
class _Walk:
    """What every step of one case's walk shares, and the funnel steps it has reached."""

    registry: Registry
    stop: dt.date  # the demo's today: no step after it
    actor: User
    rng: random.Random
    deep: bool  # a case that goes as far as its routes lead: remedies, the UN, its views
    reached: set[int] = field(default_factory=set)

    def walk(self, proceeding: Proceeding, start: dt.date, steps: int) -> None:
        """Fire up to `steps` available transitions, each some days after the previous one."""
        day = start
        for _ in range(steps):
            if proceeding.closed_on is not None:
                return
            state = ProceedingState.of(self.registry, proceeding, self.stop)
            available = [
                s for s in state.steps if s.available and _in_order(self.reached, s.transition)
            ]
            day += dt.timedelta(
                days=self.rng.randint(5, 30) if self.deep else self.rng.randint(2, 60)
            )
            if not available or day > self.stop:
                return
            route = self.registry.route(proceeding.route)
            weights = [self._weight(route, i, s.transition) for i, s in enumerate(available)]
            transition = self.rng.choices(available, weights)[0].transition
            self.reached |= _funnel_steps({m.name for m in transition.milestones})
            result = fire(
                self.registry,
                proceeding,
                transition.trigger,
                actor=self.actor,
                occurred_on=day,
                today=self.stop,
                facts=_facts_for(self.registry, transition, day, self.rng),
                state=state,
            )
            for child in result.handed_over:
                self.walk(
                    child, day, self.rng.randint(3, 6) if self.deep else self.rng.randint(0, 4)
                )

    def _weight(self, route: Route, index: int, transition: Transition) -> float:
        """Prefer the main path (declared first) and rarely close, so cases spread across
        stages; a deep case takes the step that moves it along the funnel when it can."""
        if route.stage(transition.dest).final:
            return 0.05
        weight = 3.0 if index == 0 else 1.0
        new = _funnel_steps({m.name for m in transition.milestones}) - self.reached
        return weight * 8 if self.deep and (new or transition.opens) else weight


def _opening_facts(registry: Registry, route: Route, day: dt.date, rng: random.Random) -> dict:
    return {name: _fact_value(registry, name, day, rng) for name in route.opening_facts}


def _demo_survivor(name: str, today: dt.date) -> Survivor:
    """The person of that name (demo names are people: a name drawn again is another case of
    the same person), recorded at the first draw with a sex and an age."""
    survivor = db.session.scalar(db.select(Survivor).where(Survivor.name == name))
    if survivor:
        return survivor
    # Female names of the lists; one person in six under 18, one in five of unknown birth year.
    # Drawn from the name, so that the cases' own draws stay as they were.
    rng = random.Random(name)
    female = name.split()[0] in {"Гульнар", "Жанна", "Сауле", "Мехрангез", "Нилуфар"}
    age = rng.randint(15, 17) if rng.random() < 1 / 6 else rng.randint(19, 64)
    details = {
        "name": name,
        "sex": "female" if female else "male",
        "reprisal_risk": rng.choice(["low", "medium", "high", "unknown"]),
    }
    if rng.random() < 0.2:
        details["age_group"] = "minor" if age < 18 else "unknown"
    else:
        details["birth_year"] = today.year - age
    return create_survivor(details, actor=None, today=today)


def _one_case(
    registry: Registry,
    number: int,
    users: dict[str, User],
    today: dt.date,
    rng: random.Random,
    route: Route,
) -> Case:
    jurisdiction = rng.choice(route.jurisdictions)
    names = KZ_NAMES if jurisdiction == "KZ" else TJ_NAMES
    lawyers = [u for u in users.values() if u.role == Role.LAWYER]
    # A quarter of the cases are recent (deadlines due soon), the rest spread over three
    # years; those that go to the UN began long enough ago to have got there.
    deep = number % 4 == 1 and route.opening_milestone is not None
    age = rng.randint(3, 60) if number % 4 == 0 else rng.randint(60, 3 * 365)
    if deep:
        age = rng.randint(2 * 365, 4 * 365)
    opened = today - dt.timedelta(days=age)
    survivor = _demo_survivor(rng.choice(names), today)
    if ConsentScope.SHARING in route.requires_consent and survivor.reprisal_risk == "high":
        survivor.reprisal_risk = "medium"  # a referral is not opened while the risk is high
    case = open_case(
        reference=f"{jurisdiction}-{opened.year}-{number:03d}",
        survivor=survivor,
        jurisdiction=jurisdiction,
        opened_on=opened,
        team=[rng.choice(lawyers)] + ([users["staff@demo.example"]] if number % 4 == 0 else []),
        incident_date=opened - dt.timedelta(days=rng.randint(1, 20)),
        incident_place=rng.choice(PLACES[jurisdiction]),
        authority="Полиция" if number % 2 else "Следственный изолятор",
        ill_treatment_forms=", ".join(rng.sample(FORMS, 2)),
        forensic_exam_done=number % 3 != 1,
        forensic_exam_on=opened if number % 3 != 1 else None,
    )
    _demo_consents(case, number, route, today)
    proceeding = open_proceeding(
        registry,
        case,
        route.id,
        actor=case.team[0],
        opened_on=opened,
        today=today,
        facts=_opening_facts(registry, route, opened, rng),
    )
    walk = _Walk(registry, today, case.team[0], rng, deep)
    walk.reached = _funnel_steps({route.opening_milestone} - {None})
    walk.walk(proceeding, opened, 30 if deep else rng.randint(1, 12))
    _demo_contacts(case, number)
    _demo_examination(case, number)
    _demo_hearing(case, number)
    demo_documents(case, number)
    return case


def _demo_consents(case: Case, number: int, route: Route, today: dt.date) -> None:
    """Consents given at intake: litigation on most cases (always where the route needs it),
    the others on some; on a few the consent to sharing was withdrawn later."""
    given = {
        ConsentScope.LITIGATION: number % 7 != 3,
        ConsentScope.PUBLICATION: number % 2 == 0,
        ConsentScope.UN_NAME: number % 4 == 0,
        ConsentScope.SHARING: number % 3 != 2,
        ConsentScope.MEDICAL: number % 4 == 1,
    }
    actor = case.team[0]
    for scope, yes in given.items():
        if yes or scope in route.requires_consent:
            manner = "written" if scope == ConsentScope.LITIGATION else "oral"
            details = {"scope": scope.value, "given_on": case.opened_on, "form": manner}
            record_consent(case, details, actor=actor, today=today)
    if number % 11 == 5 and ConsentScope.SHARING not in route.requires_consent:
        consent = current_consents(case).get(ConsentScope.SHARING)
        if consent is not None:
            details = {
                "withdrawn_on": min(case.opened_on + dt.timedelta(days=20), today),
                "withdrawal_note": "Заявитель попросил не передавать сведения партнёрам.",
            }
            withdraw_consent(consent, details, expected_version=None, actor=actor, today=today)


# People who are not users, on some cases (no random draws: the cases stay as they were).
DEMO_CONTACTS = (
    {"name": "Айгерим Омарова", "role": "family", "notes": "Сестра заявителя, связь через неё."},
    {"name": "Д-р Марат Ахметов", "role": "doctor", "organisation": "Независимый эксперт"},
    {"name": "Зарина Каримова", "role": "interpreter", "phone": "+7 700 000 00 01"},
)


def _demo_contacts(case: Case, number: int) -> None:
    if number % 3 == 0:
        add_contact(case, DEMO_CONTACTS[number % len(DEMO_CONTACTS)], actor=case.team[0])


def _demo_hearing(case: Case, number: int) -> None:
    """A court hearing or a prison visit still to come on some cases (after the real today:
    a hearing is never added in the past)."""
    if number % 3 == 1:
        details = {
            "kind": "court" if number % 2 else "prison_visit",
            "starts_on": utcnow().date() + dt.timedelta(days=7 + number % 21),
            "starts_at": dt.time(10, 0),
            "duration_minutes": 60,
            "place": "Районный суд, зал 2" if number % 2 else "СИЗО № 1",
            "attendees": "Адвокат, заявитель",
        }
        add_hearing(case, details, actor=case.team[0])


def _demo_examination(case: Case, number: int) -> None:
    """An independent examination with findings on some cases, a refused one on others."""
    day = case.opened_on + dt.timedelta(days=2)
    if number % 4 == 1:
        details = {
            "examined_on": day,
            "examiner_name": "Д-р Марат Ахметов",
            "examiner_kind": "independent",
            "status": "done",
            "psychological_done": True,
            "psychological_evaluation": "Признаки посттравматического стрессового расстройства.",
        }
        findings = [("Удары по стопам", "highly_consistent"), ("Удушение пакетом", "consistent")]
        record_examination(case, details, findings, actor=case.team[0])
    elif number % 10 == 7:
        details = {
            "examined_on": day,
            "examiner_kind": "state",
            "status": "refused",
            "status_note": "Следователь отказал в назначении судебно-медицинской экспертизы.",
        }
        record_examination(case, details, [], actor=case.team[0])


# Most cases start on a domestic criminal route; the others show the remaining routes.
ROUTE_MIX = {
    "kz_criminal": 14,
    "tj_criminal": 10,
    "un_hrc": 3,
    "un_cat": 2,
    "kz_compensation": 4,
    "rehabilitation": 4,
    "un_special_procedures": 3,
}


def _route_mix(registry: Registry) -> list[Route]:
    routes = registry.workflows.routes
    mix = [routes[r] for r, n in ROUTE_MIX.items() if r in routes for _ in range(n)]
    others = [r for r in routes.values() if r.id not in ROUTE_MIX]
    return mix + others if mix else list(routes.values())


def load_demo(today: dt.date) -> str:
    """Create demo users and cases as of `today`; return a one-paragraph summary."""
    registry = current_registry()
    rng = random.Random(SEED)
    users = _demo_users()
    routes = _route_mix(registry)
    for number in range(1, CASES + 1):
        _one_case(registry, number, users, today, rng, routes[number % len(routes)])
        db.session.flush()
    cases = db.session.scalar(db.select(db.func.count()).select_from(Case))
    proceedings = db.session.scalar(db.select(db.func.count()).select_from(Proceeding))
    return (
        f"Demo data: {len(users)} users, {cases} cases, {proceedings} proceedings (as of {today})."
    )


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has cases.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend today is this date (default: the real date).",
)
@click.option(
    "--cases",
    type=click.IntRange(min=1),
    default=None,
    help="Instead: this many cases written in bulk (thousands in seconds), into an empty database.",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="With --cases: the same seed, the same data.",
)
@with_appcontext
def demo_command(if_empty: bool, today: dt.datetime | None, cases: int | None, seed: int) -> None:
    """Fill the database with realistic demo cases over every route and print demo logins."""
    if not inspect(db.engine).has_table("cases"):
        init_db()
    day = today.date() if today else dt.date.today()
    if cases is not None:
        _bulk_demo(if_empty, cases, seed, day)
        return
    if if_empty and db.session.scalar(db.select(db.func.count()).select_from(User)):
        click.echo("Demo data already present; skipping.")
        return
    summary = load_demo(day)
    db.session.commit()
    click.echo(summary)
    click.echo(f"Demo logins saved in {credentials_file()}")


def _bulk_demo(if_empty: bool, cases: int, seed: int, day: dt.date) -> None:
    if not is_empty():
        if if_empty:
            click.echo("Demo data already present; skipping.")
            return
        raise click.ClickException(
            "the database already has users or cases: bulk demo data goes into an empty one"
        )
    lines = load_bulk(cases, seed, day)
    credentials_file().write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    credentials_file().chmod(0o600)
    click.echo("\n".join(lines))
    click.echo(f"Demo logins saved in {credentials_file()}")


COMMANDS = (demo_command,)
