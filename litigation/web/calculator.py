"""The deadline calculator: the reasoning of `litigation due`, for "what if" questions."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..registry import current_registry
from ..workflows.calendar import compute_due
from ..workflows.spec import Period, Unit
from .context import today
from .forms import CalculatorForm, options

bp = Blueprint("calculator", __name__, url_prefix="/calculator")


@bp.route("")
def index():
    registry = current_registry()
    form = CalculatorForm(request.args, meta={"csrf": False})
    form.calendar.choices = options((cid, cid) for cid in registry.workflows.calendars)
    result = None
    if request.args and form.validate():
        if form.amount.data is None or form.amount.data <= 0:
            form.amount.errors = [*form.amount.errors, "> 0"]
        else:
            period = Period(form.amount.data, Unit(form.unit.data))
            result = compute_due(
                form.anchor.data,
                period,
                registry.calendars[form.calendar.data],
                roll_forward=form.roll.data,
            )
    elif not request.args:
        form.anchor.data = today()
        form.amount.data = 15
        form.roll.data = True
    status = 400 if request.args and form.errors else 200
    period = Period(form.amount.data, Unit(form.unit.data)) if result else None
    return render_template("calculator/index.html", form=form, result=result, period=period), status
