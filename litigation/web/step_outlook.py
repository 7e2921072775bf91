"""What a step will do, said on its form before it is recorded: how it closes the deadlines
running now (a final step cancels them), the deadlines it opens counted by the code that will
open them (workflows/preview.py), the route a hand-over opens, and a filing after a time limit
of ours that has passed (allowed, e.g. with a request to restore the period, but said beside
the date first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ..cases import ProceedingState
from ..cases.deadlines import closing_outcomes, rule_of
from ..models import Deadline
from ..workflows.engine import OCCURRED_ON
from ..workflows.loaded import Registry
from ..workflows.preview import HandOverPreview, Preview, preview_hand_over, preview_stage
from ..workflows.spec import STAGE_ENTERED, Party, Transition
from .context import lang
from .filters import human_date, localised, rule_label

MET_OR_MISSED = "met_or_missed"


@dataclass
class StepOutlook:
    """The consequences of recording `transition` with the dates typed so far."""

    transition: Transition
    occurred_on: dt.date
    final: bool
    closing: list[tuple[Deadline, str]]
    opens: list[Preview]
    hand_over: HandOverPreview | None
    late: list[Deadline] = field(default_factory=list)

    @property
    def cancelled(self) -> list[Deadline]:
        return [deadline for deadline, outcome in self.closing if outcome == "cancelled"]


def step_outlook(
    registry: Registry,
    state: ProceedingState,
    transition: Transition,
    form: FlaskForm,
    today: dt.date,
) -> StepOutlook:
    """What the step would do if recorded with what `form` holds now (today when undated)."""
    typed, unknown = _typed_facts(registry, state, transition, form)
    date_field = transition.event_date or OCCURRED_ON
    day = form[date_field].data if date_field in form else None
    occurred_on = day if isinstance(day, dt.date) else today
    facts = {**state.facts, **typed}
    closing = closing_outcomes(registry, state.proceeding, transition.trigger)
    late = [
        deadline
        for deadline, outcome in closing
        if outcome == MET_OR_MISSED
        and deadline.party == Party.US.value
        and isinstance(day, dt.date)
        and day > deadline.due_date
    ]
    return StepOutlook(
        transition,
        occurred_on,
        state.route.stage(transition.dest).final,
        closing,
        preview_stage(
            registry.calendars, state.route, transition.dest, facts, occurred_on, unknown
        ),
        preview_hand_over(
            registry.workflows, registry.calendars, transition, facts, occurred_on, unknown
        ),
        late,
    )


def _typed_facts(
    registry: Registry, state: ProceedingState, transition: Transition, form: FlaskForm
) -> tuple[dict[str, Any], set[str]]:
    """The facts typed (as `fire` will read them) and those the step still waits for: required
    ones not typed, and optional ones neither typed nor recorded before."""
    required = {*transition.records, *((transition.event_date,) if transition.event_date else ())}
    typed: dict[str, Any] = {}
    unknown: set[str] = set()
    for name in dict.fromkeys([*required, *transition.optional]):
        value = form[name].data if name in form else None
        if value in (None, "") and name in registry.workflows.facts:
            if name in required or name not in state.facts:
                unknown.add(name)
            continue
        if name in registry.workflows.facts:
            typed[name] = value
    return typed, unknown


def late_warnings(registry: Registry, outlook: StepOutlook) -> list[str]:
    """Beside the date: each time limit of ours this date comes after, with its due date."""
    return [
        " ".join(
            [
                _(
                    "This date is after the deadline %(rule)s, due %(due)s (counted from "
                    "%(anchor)s): the filing is late and the deadline will be recorded as missed.",
                    rule=rule_label(deadline),
                    due=human_date(deadline.due_date),
                    anchor=human_date(deadline.anchor_date),
                ),
                restoration_text(registry, deadline),
            ]
        )
        for deadline in outlook.late
    ]


def restoration_text(registry: Registry, deadline: Deadline) -> str:
    """Whether a missed period of this rule may be restored (workflows.yaml `restorable`)."""
    rule = rule_of(registry.workflows, deadline)
    if rule is not None and not rule.restorable:
        return _("The law does not allow this period to be restored: check before filing.")
    return _("It may still be filed, with a request to restore the period where the law allows it.")


def closing_text(deadline: Deadline, outcome: str) -> str:
    """How the step closes a deadline running now."""
    values = {"rule": rule_label(deadline), "due": human_date(deadline.due_date)}
    if outcome == MET_OR_MISSED:
        return _(
            "%(rule)s, due %(due)s: met if this step is dated on or before %(due)s, missed "
            "if later.",
            **values,
        )
    if outcome == "continued":
        return _("%(rule)s, due %(due)s: it runs on through this step.", **values)
    return _("%(rule)s, due %(due)s: this step cancels it.", **values)


def preview_text(registry: Registry, preview: Preview, transition: Transition | None) -> str:
    """A deadline the step opens: its due date, or what it waits for, and what it counts from."""
    label = localised(preview.rule.label)
    anchor = anchor_label(registry, preview.rule.anchor, transition)
    condition = _condition(registry, preview)
    if preview.planned is not None:
        text = _(
            "%(rule)s: due %(due)s, counted from %(anchor)s (%(date)s).",
            rule=label,
            due=human_date(preview.planned.due),
            anchor=anchor,
            date=human_date(preview.planned.anchor_date),
        )
    else:
        text = _("%(rule)s: counted from %(anchor)s, once it is given.", rule=label, anchor=anchor)
    return f"{text} {condition}" if condition else text


def _condition(registry: Registry, preview: Preview) -> str:
    """Which facts still to be given decide whether this version applies."""
    facts = registry.workflows.facts
    parts = [
        _(
            "«%(fact)s»: %(values)s",
            fact=localised(facts[fact].label),
            values=", ".join(_choice(registry, fact, value) for value in values),
        )
        for fact, values in preview.rule.when
        if fact in preview.waiting_for
    ]
    if not parts:
        return ""
    return _("Applies only if %(condition)s.", condition="; ".join(parts))


def _choice(registry: Registry, fact: str, value: str) -> str:
    return f"«{registry.workflows.facts[fact].choice_label(value, lang())}»"


def anchor_label(registry: Registry, anchor: str, step: Transition | None) -> str:
    """What a rule counts from; `step`: the step about to be recorded, which enters its stage."""
    if step is not None and anchor in (STAGE_ENTERED, step.event_date):
        return _("the date of this step")
    if anchor == STAGE_ENTERED:
        return _("the day the stage was entered")
    spec = registry.workflows.facts.get(anchor)
    return f"«{localised(spec.label)}»" if spec else anchor
