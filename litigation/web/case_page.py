"""The case page: everything it shows loaded once, in a bounded number of statements whatever
the number of proceedings, events, deadlines, hearings, documents and contacts; the template
then only draws (its helpers never query)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ..cases import ProceedingState, can_act
from ..cases.consents import consent_refusals, history_of
from ..cases.contacts import active_contacts
from ..cases.examinations import case_examinations
from ..cases.hearings import case_hearings
from ..cases.team import team_history
from ..db import db
from ..models import Case, ConsentRecord, Deadline, Event, NoteRevision, Proceeding, Survivor
from ..registry import current_registry
from .confirmation import confirmation_for, routes_opened
from .consents import consent_overview
from .context import lang, today
from .diagram import route_svg
from .document_words import documents_of, tie_label
from .filters import localised
from .forms import NewProceedingForm
from .history_words import history_items
from .survivors import cases_of_person


def route_choices(form, jurisdiction: str | None = None, case: Case | None = None) -> None:
    """The routes a case in `jurisdiction` may take (every route when None); with the case,
    a route its consent does not allow is shown greyed out with the reason."""
    routes = current_registry().workflows.routes.values()
    form.route.choices = [
        _route_choice(route, case)
        for route in routes
        if jurisdiction is None or jurisdiction in route.jurisdictions
    ]


def _route_choice(route, case: Case | None) -> SelectChoice:
    title = route.title.get(lang())
    reasons = consent_refusals(case, route.requires_consent) if case else []
    if not reasons:
        return SelectChoice(route.id, title)
    why = " ".join(localised(reason) for reason in reasons)
    return SelectChoice(route.id, f"{title} — {why}", render_kw={"disabled": True})


def load_case(case: Case) -> None:
    """Load, in one statement per relationship, what the page reads of the case and its
    proceedings (the case is in the session already: only what is not loaded is loaded)."""
    events = selectinload(Case.proceedings).selectinload(Proceeding.events)
    consents = selectinload(Case.consents)
    db.session.scalars(
        db.select(Case)
        .where(Case.id == case.id)
        .options(
            events.selectinload(Event.actor),
            events.selectinload(Event.note_revisions).selectinload(NoteRevision.actor),
            selectinload(Case.proceedings)
            .selectinload(Proceeding.deadlines)
            .selectinload(Deadline.override_by),
            selectinload(Case.team),
            selectinload(Case.backup_lawyer),
            consents.selectinload(ConsentRecord.recorded_by),
            consents.selectinload(ConsentRecord.withdrawn_by),
            consents.selectinload(ConsentRecord.evidence),
            selectinload(Case.survivor).selectinload(Survivor.cases).selectinload(Case.team),
        )
    ).one()


def _proceeding_items(case: Case, may_act: bool) -> list[dict]:
    """Each proceeding on a route the file knows: its state, replayed once, and its history."""
    registry = current_registry()
    day = today()
    items = []
    for proceeding in case.proceedings:
        if proceeding.route not in registry.workflows.routes:
            continue
        state = ProceedingState.of(registry, proceeding, day, may_act)
        route = state.route
        items.append(
            {
                "proceeding": proceeding,
                "route": route,
                "stage": route.stage(proceeding.stage)
                if route.has_stage(proceeding.stage)
                else None,
                "steps": state.steps,
                "svg": route_svg(route, proceeding.stage, lang()),
                "history": history_items(registry, proceeding, route),
            }
        )
    return items


def case_page(case: Case, new_proceeding: NewProceedingForm | None = None, status: int = 200):
    """The case page; `new_proceeding`: the open-a-route form refused, with its errors and what
    was typed, drawn in place (its action lands on it)."""
    load_case(case)
    may_act = can_act(current_user, case)
    proceedings = _proceeding_items(case, may_act)
    form = new_proceeding or NewProceedingForm()
    route_choices(form, case.jurisdiction, case)
    done = confirmation_for(case)
    docs = documents_of(case)
    return render_template(
        "cases/show.html",
        case=case,
        done=done,
        opened_routes=routes_opened(done, case),
        team_changes=team_history(case),
        history={item["proceeding"].id: item["history"] for item in proceedings},
        proceedings=proceedings,
        today=today(),
        may_act=may_act,
        new_proceeding=form,
        registry=current_registry(),
        docs=docs,
        ties={d.id: tie_label(d) for d in docs.active},
        other_cases=[c for c in cases_of_person(case.survivor) if c.id != case.id],
        consents=consent_overview(case),
        consent_records=history_of(case),
        hearings=case_hearings(case),
        contacts=active_contacts(case),
        examinations=case_examinations(case),
    ), status
