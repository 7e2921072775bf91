"""The deadline calculator: the reasoning of `litigation due`, for "what if" questions."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ..registry import current_registry
from ..workflows.calendar import compute_due
from ..workflows.spec import Period, Unit
from ..workflows.spec_values import MAX_AMOUNT
from .context import today
from .forms import CalculatorForm, options
from .holiday_names import non_working_text
from .vocabulary import calendar_name

bp = Blueprint("calculator", __name__, url_prefix="/calculator")
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)


def _plausible(form: CalculatorForm) -> bool:
    """A length from 1 up to 100 years, counted from a date between 1900 and 2200."""
    most = MAX_AMOUNT[form.unit.data]
    if form.amount.data is None or not 1 <= form.amount.data <= most:
        form.amount.errors = [
            *form.amount.errors,
            _("Give a length from 1 to %(most)d (100 years).", most=most),
        ]
    if not EARLIEST <= form.anchor.data <= LATEST:
        form.anchor.errors = [*form.anchor.errors, _("Give a date between 1900 and 2200.")]
    return not (form.amount.errors or form.anchor.errors)


@bp.route("")
def index():
    registry = current_registry()
    form = CalculatorForm(request.args, meta={"csrf": False})
    form.calendar.choices = options(
        (cid, calendar_name(cid)) for cid in registry.workflows.calendars
    )
    result, reasons = None, {}
    if request.args and form.validate() and _plausible(form):
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
        else:
            calendar = registry.calendars[form.calendar.data]
            reasons = {
                step.day: non_working_text(calendar, step.day, step.reason)
                for step in result.steps
                if step.kind == "skip"
            }
    elif not request.args:
        form.anchor.data = today()
        form.amount.data = 15
        form.roll.data = True
    status = 400 if request.args and form.errors else 200
    period = Period(form.amount.data, Unit(form.unit.data)) if result else None
    page = render_template(
        "calculator/index.html", form=form, result=result, period=period, reasons=reasons
    )
    return page, status
