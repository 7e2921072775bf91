"""How the dates of a past step relate, said on its form before it is recorded: the previous
event it may not precede, the order of dates workflows.yaml declares (`not_before`), how the
step closes the deadlines running now, and what the deadlines it starts are counted from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ..cases import ProceedingState, rule_of
from ..cases.deadlines import closing_outcomes
from ..workflows.loaded import Registry
from ..workflows.order import INCIDENT_LABEL
from ..workflows.spec import INCIDENT, STAGE_ENTERED, FactType, Transition
from .filters import human_date, localised, rule_label
from .step_outlook import anchor_label, preview_text, step_outlook


def date_guide(
    registry: Registry, state: ProceedingState, transition: Transition, form: FlaskForm
) -> list[str]:
    """Sentences for the form of `transition` entered as history, with the dates it holds."""
    return [
        *_after_previous(state),
        *_declared_order(registry, state, transition),
        *_closing(registry, state, transition),
        *_starting(registry, state, transition, form),
    ]


def _after_previous(state: ProceedingState) -> Iterator[str]:
    if state.last_event_on is None:
        return
    yield _(
        "Its date cannot be before %(date)s (%(step)s), the previous event of the route, "
        "nor after today.",
        date=human_date(state.last_event_on),
        step=localised(state.last_event_label) or "—",
    )


def _step_dates(registry: Registry, transition: Transition) -> list[str]:
    names = [transition.event_date, *transition.records, *transition.optional]
    facts = registry.workflows.facts
    return [n for n in dict.fromkeys(names) if n and facts[n].type is FactType.DATE]


def _declared_order(
    registry: Registry, state: ProceedingState, transition: Transition
) -> Iterator[str]:
    """Each `not_before` of the dates this step records, with the earlier date where known."""
    facts = registry.workflows.facts
    here = _step_dates(registry, transition)
    incident = state.proceeding.case.incident_date
    for name in here:
        for before in facts[name].not_before:
            label = INCIDENT_LABEL if before == INCIDENT else facts[before].label
            earlier = incident if before == INCIDENT else state.facts.get(before)
            if earlier and before not in here:
                yield _(
                    "«%(later)s» cannot be before «%(earlier)s» (%(date)s).",
                    later=localised(facts[name].label),
                    earlier=localised(label),
                    date=human_date(_as_date(earlier)),
                )
            elif before in here:
                yield _(
                    "«%(later)s» cannot be before «%(earlier)s».",
                    later=localised(facts[name].label),
                    earlier=localised(label),
                )


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _closing(registry: Registry, state: ProceedingState, transition: Transition) -> Iterator[str]:
    """How this step closes each deadline running now (engine.closing_status)."""
    for deadline, outcome in closing_outcomes(registry, state.proceeding, transition.trigger):
        values = {"rule": rule_label(deadline), "due": human_date(deadline.due_date)}
        if outcome == "met_or_missed":
            rule = rule_of(registry.workflows, deadline)
            yield _(
                "%(rule)s: due %(due)s, counted from %(anchor)s (%(anchor_date)s). This step "
                "meets it if dated on or before %(due)s; dated later, the deadline was missed.",
                anchor=anchor_label(registry, rule.anchor if rule else STAGE_ENTERED, None),
                anchor_date=human_date(deadline.anchor_date),
                **values,
            )
        elif outcome == "continued":
            yield _("%(rule)s: due %(due)s; it runs on through this step.", **values)
        else:
            yield _("%(rule)s: due %(due)s; this step cancels it.", **values)


def _starting(
    registry: Registry, state: ProceedingState, transition: Transition, form: FlaskForm
) -> Iterator[str]:
    """The deadlines the step's stage opens, counted by the code that will open them."""
    outlook = step_outlook(registry, state, transition, form, state.today)
    for preview in outlook.opens:
        yield _("It starts: %(what)s", what=preview_text(registry, preview, transition))
