"""Acting on a proceeding: open a route, fire a transition, correct a date, override a deadline.

Each view: load, check access, validate the form, call one operation, redirect. The request
commits once (web/transaction.py); domain errors it does not catch map to pages in web/errors.py.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..cases import ProceedingState, correct_event, fire, override_deadline
from ..cases.corrections import correctable_dates
from ..cases.history import effective_history
from ..cases.operations import open_route
from ..db import db
from ..errors import InvalidInput
from ..models import DeadlineStatus
from ..registry import current_registry
from ..workflows.engine import BOOKKEEPING, OCCURRED_ON, STAGE_MIGRATION
from ..workflows.spec import Party
from .case_page import case_page, route_choices
from .confirmation import Confirmation, show_at_proceeding
from .context import today
from .filters import (
    days_left,
    human_date,
    localised,
    rule_label,
)
from .forms import (
    NewProceedingForm,
    OverrideDeadlineForm,
    correct_form_class,
    fact_values,
    fire_form_class,
    route_start,
    show_domain_errors,
)
from .helpers import (
    case_or_404,
    deadline_or_404,
    event_or_404,
    history_url,
    proceeding_or_404,
    require_act,
)
from .inputs import record_version
from .step_outlook import (
    closing_text,
    late_warnings,
    preview_text,
    restoration_text,
    step_outlook,
)

bp = Blueprint("proceedings", __name__, url_prefix="/cases")


@bp.route("/<int:case_id>/proceedings/<int:proceeding_id>/steps/<trigger>", methods=["GET", "POST"])
def fire_step(case_id: int, proceeding_id: int, trigger: str):
    case = case_or_404(case_id)
    proceeding = proceeding_or_404(case, proceeding_id)
    require_act(case)
    registry = current_registry()
    route = registry.route(proceeding.route)
    state = ProceedingState.of(registry, proceeding, today())
    step = state.step(trigger)
    if step is None:
        abort(404)
    form = fire_form_class(registry.workflows, step.transition, today())(version=proceeding.version)
    date_field = step.transition.event_date or OCCURRED_ON
    outlook = step_outlook(registry, state, step.transition, form, today())
    context = {
        "case": case,
        "proceeding": proceeding,
        "route": route,
        "step": step,
        "form": form,
        "today": today(),
        "outlook": outlook,
        "registry": registry,
        "warnings": {},
        "preview_text": preview_text,
        "closing_text": closing_text,
    }
    if not step.available:
        return render_template(
            "cases/fire.html", **context
        ), 409 if request.method == "POST" else 200
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("cases/fire.html", **context), status
    late = late_warnings(registry, outlook)
    if late and request.form.get("late_confirmed") != outlook.occurred_on.isoformat():
        # Allowed (a period may be restored), but said beside the date before it is recorded.
        context["warnings"] = {date_field: late}
        return render_template("cases/fire.html", **context)
    occurred_on = form[OCCURRED_ON].data if OCCURRED_ON in form else None
    try:
        result = fire(
            registry,
            proceeding,
            trigger,
            actor=current_user,
            occurred_on=occurred_on,
            today=today(),
            facts=fact_values(form, step.transition),
            note=form.note.data,
            expected_version=record_version(form.version.data),
            state=state,
        )
    except InvalidInput as error:
        context["loose_errors"] = show_domain_errors(form, error, date_field)
        return render_template("cases/fire.html", **context), 400
    return show_at_proceeding(step_confirmation(route, step.transition, result), case.id)


def step_confirmation(route, transition, result) -> Confirmation:
    """What the step did: its stage now, the deadlines it opened and closed, routes opened."""
    stage = route.stage(transition.dest)
    done = Confirmation(
        result.event.proceeding_id,
        _(
            "Recorded: %(step)s (%(date)s). Stage now: %(stage)s.",
            step=localised(transition.done),
            date=human_date(result.event.occurred_on),
            stage=localised(stage.label),
        ),
    )
    for deadline in result.opened:
        done.say(*_new_deadline_line(deadline))
    done.mark(result.opened, "new")
    for deadline in result.closed:
        done.say(*_closed_line(deadline))
    done.mark(result.closed, "closed")
    for child in result.handed_over:
        title = localised(current_registry().route(child.route).title)
        done.say(_("Opened the route: %(route)s.", route=title), "success")
        done.opened_routes.append(child.id)
    return done


def _closed_line(deadline) -> tuple[str, str]:
    """A deadline the step closed; a time limit of ours it came after is a warning."""
    if deadline.status == DeadlineStatus.MISSED and deadline.party == Party.US.value:
        text = _(
            "Filed late: %(rule)s was due %(due)s and is recorded as missed.",
            rule=rule_label(deadline),
            due=human_date(deadline.due_date),
        )
        return f"{text} {restoration_text(current_registry(), deadline)}", "warning"
    text = _("Closed: %(rule)s — %(status)s.", rule=rule_label(deadline), status=_(deadline.status))
    return text, "info"


def _new_deadline_line(deadline) -> tuple[str, str]:
    """A new deadline in a line; its legal basis and why it may move are in its marked row."""
    text = _(
        "New deadline: %(rule)s — %(due)s, %(left)s.",
        rule=rule_label(deadline),
        due=human_date(deadline.due_date),
        left=days_left(deadline.days_left(today())),
    )
    if deadline.due_date < today():
        # Already passed on the day it is created: a wrong date, or a period to restore.
        warning = _(
            "This deadline had already passed when it was created: check the dates, or "
            "record the restoration of the period (KZ CPC art. 50) as a changed deadline."
        )
        return f"{text} {warning}", "warning"
    return text, "success"


@bp.route("/<int:case_id>/events/<int:event_id>/correct", methods=["GET", "POST"])
def correct(case_id: int, event_id: int):
    case = case_or_404(case_id)
    event = event_or_404(case, event_id)
    require_act(case)
    if event.trigger in BOOKKEEPING or event.trigger == STAGE_MIGRATION:
        abort(404)
    registry = current_registry()
    view = next((v for v in effective_history(event.proceeding) if v.id == event.id), None)
    if view is None:
        abort(404)
    names = correctable_dates(registry, event.proceeding.route, view)
    form = correct_form_class(registry.workflows, names)()
    if request.method == "GET":
        for name in names:
            value = view.occurred_on if name == OCCURRED_ON else view.facts.get(name)
            form[name].data = dt.date.fromisoformat(value) if isinstance(value, str) else value
        form.version.data = event.proceeding.version
    context = {"case": case, "event": event, "form": form, "dates": names}
    if not form.validate_on_submit():
        return render_template("cases/correct.html", **context), 400 if form.is_submitted() else 200
    try:
        changes = correct_event(
            registry,
            event,
            actor=current_user,
            today=today(),
            changes={name: form[name].data for name in names},
            note=form.note.data,
            expected_version=record_version(form.version.data),
        )
    except InvalidInput as error:
        context["loose_errors"] = show_domain_errors(form, error, names[0])
        return render_template("cases/correct.html", **context), 400
    return show_at_proceeding(correction_confirmation(event, changes), case.id)


def correction_confirmation(event, changes) -> Confirmation:
    """What a correction did to the deadlines: each moved, or opened by a date recorded later."""
    done = Confirmation(event.proceeding_id, _("Dates saved."))
    for change in changes:
        if change.before is None:
            done.say(*_new_deadline_line(change.deadline))
            done.mark([change.deadline], "new")
            continue
        done.say(
            _(
                "%(rule)s: %(before)s → %(after)s",
                rule=rule_label(change.deadline),
                before=human_date(change.before),
                after=human_date(change.after),
            )
            + (" " + _("(kept: overridden by a lawyer)") if change.overridden else "")
        )
        done.mark([change.deadline], "moved")
    if not changes:
        done.say(_("No deadline moved."))
    return done


@bp.route("/<int:case_id>/deadlines/<int:deadline_id>/override", methods=["GET", "POST"])
def override(case_id: int, deadline_id: int):
    case = case_or_404(case_id)
    deadline = deadline_or_404(case, deadline_id)
    require_act(case)
    form = OverrideDeadlineForm()
    if request.method == "GET":
        form.due_date.data = deadline.due_date
        form.version.data = deadline.proceeding.version
    context = {"case": case, "deadline": deadline, "form": form}
    if not form.validate_on_submit():
        return render_template(
            "cases/override.html", **context
        ), 400 if form.is_submitted() else 200
    try:
        override_deadline(
            deadline,
            actor=current_user,
            new_due=form.due_date.data,
            reason=form.reason.data,
            today=today(),
            expected_version=record_version(form.version.data),
        )
    except InvalidInput as error:
        context["loose_errors"] = show_domain_errors(form, error, "reason")
        return render_template("cases/override.html", **context), 400
    done = Confirmation(
        deadline.proceeding_id, _("Deadline set to %(due)s.", due=human_date(deadline.due_date))
    )
    done.mark([deadline], "moved")
    return show_at_proceeding(done, case.id)


@bp.route("/<int:case_id>/proceedings", methods=["POST"])
def start_route(case_id: int):
    case = case_or_404(case_id)
    require_act(case)
    form = NewProceedingForm()
    route_choices(form, case.jurisdiction)
    if not form.validate_on_submit():
        return case_page(case, form, 400)
    running = form.running.data
    try:
        proceeding = open_route(
            current_registry(),
            case,
            form.route.data,
            actor=current_user,
            opened_on=route_start(form.opened_on.data, form.first_fact.data, running, today()),
            first_fact=form.first_fact.data,
            today=today(),
            as_history=running,
        )
    except InvalidInput as error:
        db.session.rollback()
        case = case_or_404(case_id)
        # The route's start date is this form's `opened_on`; an opening fact is its one date.
        fields = {"route_opened_on": "opened_on", OCCURRED_ON: "opened_on"}
        errors = InvalidInput({fields.get(k, k): v for k, v in error.errors.items()})
        for message in show_domain_errors(form, errors, "first_fact"):
            form.route.errors = [*form.route.errors, message]
        return case_page(case, form, 400)
    if running:
        flash(_("Route opened."), "success")
        return redirect(history_url(proceeding))
    done = Confirmation(proceeding.id, _("Route opened."))
    for deadline in proceeding.deadlines:
        done.say(*_new_deadline_line(deadline))
    done.mark(proceeding.deadlines, "new")
    return show_at_proceeding(done, case.id)
