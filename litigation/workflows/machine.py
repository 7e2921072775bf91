"""One `transitions` Machine per route, built once when workflows.yaml is loaded.

The Machine is shared read-only: a plain `Walker` (the stage and what the guards may see) is
added for the one call that needs it and removed afterwards, so no ORM row ever carries a
Machine (CONVENTIONS 2). Its conditions are the named guards of the registry, so the Machine
itself refuses a step a guard refuses; the reasons shown to users come from the same guards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from transitions import EventData, Machine, MachineError

from .consent import consent_reasons
from .guards import GUARDS, GuardContext, unmet_reasons
from .spec import Route, Text, Transition, consent_needed


class TransitionRefused(Exception):
    """The machine refused the trigger in the current stage."""


class Walker:
    """The plain model a Machine drives for one call: a stage and the guards' context."""

    def __init__(self, state: str, context: GuardContext) -> None:
        self.state = state
        self.context = context


class GuardCondition:
    """A Machine condition that runs one named guard: met when the guard gives no reason."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, event: EventData) -> bool:
        return GUARDS[self.name](event.model.context) is None


class CarriedFactsRecorded:
    """A hand-over's condition: every fact it carries to the new route is recorded."""

    def __init__(self, transition: Transition) -> None:
        assert transition.opens is not None
        self.needed = tuple(old for _new, old in transition.opens.carry)

    def __call__(self, event: EventData) -> bool:
        return not missing_carried_facts(self.needed, event.model.context)


class ConsentCovers:
    """A step's condition: the survivor's current consent covers what it needs (its own
    `requires_consent` and, for a hand-over, the opened route's)."""

    def __init__(self, scopes: tuple[str, ...]) -> None:
        self.scopes = scopes

    def __call__(self, event: EventData) -> bool:
        context = event.model.context
        return not consent_reasons(self.scopes, context.consents, context.reprisal_risk)


def missing_carried_facts(needed: tuple[str, ...], context: GuardContext) -> list[str]:
    """The facts among `needed` that the proceeding has not recorded."""
    return [name for name in needed if context.facts.get(name) is None]


def conditions_of(transition: Transition, consent: tuple[str, ...] = ()) -> list:
    """The Machine conditions of a transition: its named guards, its carried facts, then the
    consent it needs."""
    conditions: list = [GuardCondition(name) for name in transition.guards]
    if transition.opens and transition.opens.carry:
        conditions.append(CarriedFactsRecorded(transition))
    if consent:
        conditions.append(ConsentCovers(consent))
    return conditions


class RouteMachine:
    """The route's Machine and the questions the engine asks it."""

    def __init__(self, route: Route, routes: Mapping[str, Route] | None = None) -> None:
        self.route = route
        # A hand-over needs the consent the route it opens requires: `routes` says which.
        self.consent = {t.trigger: consent_needed(t, routes or {}) for t in route.transitions}
        self._lock = threading.Lock()
        # Conditions are callables built here, never strings: YAML never names Python code,
        # so `transitions` never resolves or imports anything on our behalf.
        self._machine = Machine(
            model=None,
            states=[stage.id for stage in route.stages],
            transitions=[
                {
                    "trigger": transition.trigger,
                    "source": list(transition.sources),
                    "dest": transition.dest,
                    "conditions": conditions_of(transition, self.consent[transition.trigger]),
                }
                for transition in route.transitions
            ],
            initial=route.initial,
            auto_transitions=False,
            send_event=True,
        )

    @contextmanager
    def _walking(self, stage: str, context: GuardContext) -> Iterator[Walker]:
        walker = Walker(stage, context)
        with self._lock:
            self._machine.add_model(walker, initial=stage)
            try:
                yield walker
            finally:
                self._machine.remove_model(walker)

    def triggers(self, stage: str) -> list[str]:
        """The triggers the Machine has from `stage`, in declaration order."""
        return self._machine.get_triggers(stage)

    def may(self, stage: str, trigger: str, context: GuardContext) -> bool:
        """Whether the Machine would fire `trigger` from `stage` (every condition met)."""
        with self._walking(stage, context) as walker:
            return getattr(walker, f"may_{trigger}")()

    def fire(self, stage: str, trigger: str, context: GuardContext) -> str:
        """Fire `trigger` from `stage` and return the new stage, or raise TransitionRefused."""
        if trigger not in self._machine.events:
            raise TransitionRefused(f"route {self.route.id!r} has no trigger {trigger!r}")
        with self._walking(stage, context) as walker:
            # Only MachineError means "not from this stage": an exception raised inside a
            # guard is a bug and must not be reported as a refusal.
            try:
                fired = walker.trigger(trigger)
            except MachineError as error:
                raise TransitionRefused(
                    f"{trigger!r} cannot be fired from stage {stage!r}"
                ) from error
            if not fired:
                raise TransitionRefused(f"{trigger!r}: a guard is not met")
            return walker.state

    def reasons(self, transition: Transition, context: GuardContext) -> list[Text]:
        """Why the Machine refuses `transition` now, in the guards' own words."""
        reasons: list[Text] = []
        if transition.opens:
            needed = tuple(old for _new, old in transition.opens.carry)
            reasons.extend(
                Text(f"Не записан факт «{name}».", f"The fact '{name}' is not recorded.")
                for name in missing_carried_facts(needed, context)
            )
        reasons.extend(unmet_reasons(transition.guards, context))
        scopes = self.consent.get(transition.trigger, ())
        reasons.extend(consent_reasons(scopes, context.consents, context.reprisal_risk))
        return reasons


def mermaid(route: Route, current: str | None = None, lang: str = "en") -> str:
    """Mermaid `stateDiagram-v2` text of the route, the current stage highlighted."""
    lines = ["stateDiagram-v2"]
    for stage in route.stages:
        label = stage.label.get(lang).replace('"', "'")
        lines.append(f'    state "{label}" as {stage.id}')
    lines.append(f"    [*] --> {route.initial}")
    for transition in route.transitions:
        label = transition.label.get(lang).replace(":", " ")
        for source in transition.sources:
            lines.append(f"    {source} --> {transition.dest}: {label}")
    for stage in route.stages:
        if stage.final:
            lines.append(f"    {stage.id} --> [*]")
    if current:
        lines.append("    classDef current fill:#ffd966,stroke:#7f6000,stroke-width:2px")
        lines.append(f"    class {current} current")
    return "\n".join(lines) + "\n"
