"""State machines built with `transitions` from a Route, one per call.

A Machine is never attached to ORM rows (CONVENTIONS 2): it is built around a small plain
object for the one call that needs it, and dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

from transitions import Machine, MachineError

from .spec import Route


class StageHolder:
    """The plain object a Machine drives; `guards_met` is the only condition it runs."""

    def __init__(self, state: str, guards_met: Callable[[str], bool]) -> None:
        self.state = state
        self._guards_met = guards_met

    def guards_met(self, event) -> bool:
        return self._guards_met(event.event.name)


def build_machine(route: Route, model: StageHolder) -> Machine:
    """A Machine over `model` with the route's stages and transitions, no auto transitions."""
    # Conditions are given as the holder's own method name; YAML never supplies a callable
    # or a dotted path, so `transitions` never imports anything on our behalf.
    return Machine(
        model=model,
        states=[stage.id for stage in route.stages],
        transitions=[
            {
                "trigger": transition.trigger,
                "source": list(transition.sources),
                "dest": transition.dest,
                "conditions": "guards_met",
            }
            for transition in route.transitions
        ],
        initial=model.state,
        auto_transitions=False,
        send_event=True,
        model_override=False,
    )


class TransitionRefused(Exception):
    """The machine refused the trigger in the current stage."""


def advance(route: Route, stage: str, trigger: str, guards_met: Callable[[str], bool]) -> str:
    """Fire `trigger` from `stage` and return the new stage, or raise TransitionRefused."""
    if not any(transition.trigger == trigger for transition in route.transitions):
        raise TransitionRefused(f"route {route.id!r} has no trigger {trigger!r}")
    holder = StageHolder(stage, guards_met)
    build_machine(route, holder)
    # Only MachineError means "not from this stage": an AttributeError raised by a guard
    # callback is a bug and must not be reported as a refusal.
    try:
        fired = holder.trigger(trigger)
    except MachineError as error:
        raise TransitionRefused(f"{trigger!r} cannot be fired from stage {stage!r}") from error
    if not fired:
        raise TransitionRefused(f"{trigger!r}: a guard is not met")
    return holder.state


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
