"""Acting on a proceeding: open a route, fire a transition, correct a date, override a deadline.

Each view: load, check access, validate the form, call one operation, redirect. The request
commits once (web/transaction.py); domain errors it does not catch map to pages in web/errors.py.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..cases import ProceedingState, correct_event, fire, override_deadline
from ..cases.corrections import correctable_dates
from ..cases.history import effective_history
from ..cases.operations import open_route
from ..errors import InvalidInput
from ..registry import current_registry
from ..workflows.engine import BOOKKEEPING, OCCURRED_ON, STAGE_MIGRATION
from .cases import route_choices
from .context import today
from .filters import (
    basis_text,
    human_date,
    latest_text,
    localised,
    provisional_text,
    rule_label,
    translated,
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
from .transaction import refuse_this_request

bp = Blueprint("proceedings", __name__, url_prefix="/cases")


def _case_page(case_id: int, anchor: str = ""):
    return redirect(url_for("cases.show", case_id=case_id) + anchor)


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
    context = {
        "case": case,
        "proceeding": proceeding,
        "route": route,
        "step": step,
        "form": form,
        "today": today(),
    }
    if not step.available:
        return render_template(
            "cases/fire.html", **context
        ), 409 if request.method == "POST" else 200
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("cases/fire.html", **context), status
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
        context["loose_errors"] = show_domain_errors(
            form, error, step.transition.event_date or OCCURRED_ON
        )
        return render_template("cases/fire.html", **context), 400
    _flash_result(route, step.transition, result)
    return _case_page(case.id, f"#proceeding-{proceeding.id}")


def _flash_result(route, transition, result) -> None:
    stage = route.stage(transition.dest)
    flash(
        _(
            "Done: %(step)s. Stage now: %(stage)s.",
            step=localised(transition.label),
            stage=localised(stage.label),
        ),
        "success",
    )
    for deadline in result.opened:
        _flash_new_deadline(deadline)
    for deadline in result.closed:
        flash(
            _(
                "Deadline %(rule)s closed: %(status)s.",
                rule=rule_label(deadline),
                status=_(deadline.status),
            ),
            "info",
        )
    for child in result.handed_over:
        flash(
            _(
                "Opened the route: %(route)s.",
                route=localised(current_registry().route(child.route).title),
            ),
            "success",
        )


def _flash_new_deadline(deadline) -> None:
    """A new deadline, said with everything that may make it less than certain."""
    text = _(
        "New deadline: %(rule)s, due %(due)s (%(basis)s).",
        rule=rule_label(deadline),
        due=human_date(deadline.due_date),
        basis=basis_text(deadline),
    )
    notes = [n for n in (latest_text(deadline), provisional_text(deadline)) if n]
    if deadline.due_date < today():
        # Already passed on the day it is created: a wrong date, or a period to restore.
        notes.append(
            _(
                "This deadline had already passed when it was created: check the dates, or "
                "record the restoration of the period (KZ CPC art. 50) as a changed deadline."
            )
        )
        flash(" ".join([text, *notes]), "warning")
        return
    flash(" ".join([text, *notes]), "success")


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
    flash(_("Dates saved."), "success")
    for change in changes:
        if change.before is None:
            _flash_new_deadline(change.deadline)
            continue
        flash(
            _(
                "%(rule)s: %(before)s → %(after)s",
                rule=rule_label(change.deadline),
                before=human_date(change.before),
                after=human_date(change.after),
            )
            + (" " + _("(kept: overridden by a lawyer)") if change.overridden else ""),
            "info",
        )
    if not changes:
        flash(_("No deadline moved."), "info")
    return _case_page(case.id, "#history")


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
    flash(_("Deadline set to %(due)s.", due=human_date(deadline.due_date)), "success")
    return _case_page(case.id, f"#proceeding-{deadline.proceeding_id}")


@bp.route("/<int:case_id>/proceedings", methods=["POST"])
def start_route(case_id: int):
    case = case_or_404(case_id)
    require_act(case)
    form = NewProceedingForm()
    route_choices(form, case.jurisdiction)
    if not form.validate_on_submit():
        for field, errors in form.errors.items():
            flash(f"{form[field].label.text}: {' '.join(errors)}", "error")
        return redirect(url_for("cases.show", case_id=case.id))
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
        refuse_this_request()
        for message in error.errors.values():
            flash(translated(message), "error")
        return redirect(url_for("cases.show", case_id=case.id))
    flash(_("Route opened."), "success")
    if running:
        return redirect(history_url(proceeding))
    return redirect(url_for("cases.show", case_id=case.id))
