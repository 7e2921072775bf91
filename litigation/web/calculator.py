"""The deadline calculator: the reasoning of `litigation due`, for "what if" questions."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ..registry import current_registry
from ..workflows.calendar import compute_due
from ..workflows.spec import Period, Unit
from ..workflows.spec_values import MAX_AMOUNT
from .calendar_words import calendar_label, day_off_text
from .context import today
from .filters import period_text
from .forms import CalculatorForm, options

bp = Blueprint("calculator", __name__, url_prefix="/calculator")
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)


def _amount_problem(form: CalculatorForm) -> str | None:
    """What is wrong with the length, as a sentence; None when it can be counted."""
    raw = (form.amount.raw_data or [""])[0].strip()
    unit = Unit(form.unit.data) if form.unit.data in MAX_AMOUNT else Unit.DAYS
    most = MAX_AMOUNT[unit.value]
    if not raw:
        return _("Give the length of the period, for example 15.")
    if form.amount.data is None:
        return _("Give the length as a whole number, for example 15: no spaces, commas or points.")
    if form.amount.data < 1:
        return _("A period runs forward from the event: give a length of at least 1.")
    if form.amount.data > most:
        return _(
            "No time limit runs longer than 100 years: give at most %(most)s.",
            most=period_text(Period(most, unit)),
        )
    return None


def _anchor_problem(form: CalculatorForm) -> str | None:
    if form.anchor.data is None:
        return _("Give the date of the event (day, month and year).")
    if not EARLIEST <= form.anchor.data <= LATEST:
        return _("Give a date between 1900 and 2200.")
    return None


def _answerable(form: CalculatorForm) -> bool:
    """Whether the question can be counted; else each field says what is wrong, beside it."""
    form.validate()
    for field, problem in (
        (form.amount, _amount_problem(form)),
        (form.anchor, _anchor_problem(form)),
    ):
        field.errors = [problem] if problem else []
    return not form.errors


@bp.route("")
def index():
    registry = current_registry()
    form = CalculatorForm(request.args, meta={"csrf": False})
    form.calendar.choices = options(
        (cid, calendar_label(cid)) for cid in registry.workflows.calendars
    )
    result = None
    if request.args and _answerable(form):
        period = Period(form.amount.data, Unit(form.unit.data))
        try:
            result = compute_due(
                form.anchor.data,
                period,
                registry.calendars[form.calendar.data],
                roll_forward=form.roll.data,
            )
        except (ValueError, OverflowError):  # past the calendar's years
            form.amount.errors = [_("The result falls outside the years the calendar knows.")]
    elif not request.args:
        form.anchor.data = today()
        form.amount.data = 15
        form.roll.data = True
    status = 400 if request.args and form.errors else 200
    period = Period(form.amount.data, Unit(form.unit.data)) if result else None
    return render_template(
        "calculator/index.html",
        form=form,
        result=result,
        period=period,
        why=lambda step: day_off_text(step.why, step.day, form.calendar.data),
    ), status
