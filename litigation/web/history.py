"""Entering a running case: the steps already taken on a route, oldest first, each with its
real dates, then the deadlines as they stand today.

Each step goes through the same `fire` as a step taken on its day, and is saved as soon as it
is recorded: a lawyer on a slow connection who loses the page loses nothing and comes back here
from the case page. Nothing is undone: the history is append-only, and a mistyped date is
corrected with "Correct or add dates" like any other (cases/corrections.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..cases import ProceedingState, fire
from ..errors import InvalidInput
from ..models import Case, Deadline, Proceeding
from ..registry import current_registry
from ..workflows.loaded import Registry
from .context import today
from .filters import human_date, localised
from .forms import OCCURRED_ON, fact_values, fire_form_class, show_domain_errors
from .helpers import case_or_404, history_url, proceeding_or_404, require_act
from .history_guide import date_guide
from .inputs import record_version

bp = Blueprint("history", __name__, url_prefix="/cases")
PAGE = "/<int:case_id>/proceedings/<int:proceeding_id>/history"
# The order in which the page counts deadlines as they stand today.
STANDINGS = ("overdue", "open", "missed", "met", "continued", "cancelled")


def _load(case_id: int, proceeding_id: int) -> tuple[Case, Proceeding, Registry, ProceedingState]:
    case = case_or_404(case_id)
    proceeding = proceeding_or_404(case, proceeding_id)
    require_act(case)
    registry = current_registry()
    route = registry.workflows.routes.get(proceeding.route)
    if route is None or not route.has_stage(proceeding.stage):
        abort(404)
    return case, proceeding, registry, ProceedingState.of(registry, proceeding, today())


def standing(deadline: Deadline, day: dt.date) -> str:
    """A deadline as it stands on `day`: its closing status, or open, or overdue."""
    if deadline.is_open:
        return "overdue" if deadline.days_left(day) < 0 else "open"
    return deadline.status


@bp.route(PAGE)
def sequence(case_id: int, proceeding_id: int):
    """The steps entered so far, the deadlines as they stand today, and what happened next."""
    case, proceeding, registry, state = _load(case_id, proceeding_id)
    counts = Counter(standing(d, today()) for d in proceeding.deadlines)
    return render_template(
        "history/sequence.html",
        case=case,
        proceeding=proceeding,
        route=state.route,
        state=state,
        counts=[(name, counts[name]) for name in STANDINGS if counts[name]],
        overdue=counts["overdue"],
        handed_over=[
            child
            for child in case.proceedings
            if child.parent_id == proceeding.id and child.route in registry.workflows.routes
        ],
        registry=registry,
        today=today(),
    )


@bp.route(PAGE + "/<trigger>", methods=["GET", "POST"])
def step(case_id: int, proceeding_id: int, trigger: str):
    """One past step: its form with blank dates and how they relate; recorded by `fire`."""
    case, proceeding, registry, state = _load(case_id, proceeding_id)
    next_step = state.step(trigger)
    if next_step is None:
        if request.method == "POST":  # recorded already (a second tap), or another stage now
            flash(_("This step cannot be taken from the stage the route is in now."), "error")
            return redirect(history_url(proceeding), 303)
        abort(404)
    transition = next_step.transition
    form = fire_form_class(registry.workflows, transition, today(), past=True)(
        version=proceeding.version
    )
    date_field = transition.event_date or OCCURRED_ON
    context = {
        "case": case,
        "proceeding": proceeding,
        "route": state.route,
        "stage_now": state.route.stage(proceeding.stage),
        "step": next_step,
        "form": form,
        "guide": date_guide(registry, state, transition, form),
    }
    if not next_step.available:
        status = 409 if request.method == "POST" else 200
        return render_template("history/step.html", **context), status
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("history/step.html", **context), status
    try:
        result = fire(
            registry,
            proceeding,
            trigger,
            actor=current_user,
            occurred_on=form[OCCURRED_ON].data if OCCURRED_ON in form else None,
            today=today(),
            facts=fact_values(form, transition),
            note=form.note.data,
            expected_version=record_version(form.version.data),
            state=state,
            as_history=True,
        )
    except InvalidInput as error:
        context["loose_errors"] = show_domain_errors(form, error, date_field)
        return render_template("history/step.html", **context), 400
    flash(
        _(
            "Recorded: %(step)s, %(date)s. Stage now: %(stage)s.",
            step=localised(transition.label),
            date=human_date(result.event.occurred_on),
            stage=localised(state.route.stage(transition.dest).label),
        ),
        "success",
    )
    for child in result.handed_over:
        route = registry.route(child.route)
        flash(_("Opened the route: %(route)s.", route=localised(route.title)), "success")
    return redirect(history_url(proceeding))
