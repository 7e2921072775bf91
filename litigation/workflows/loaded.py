"""The loaded routes, their calendars and their Machines: built once at start-up, shared
read-only by every request and command."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .calendar import Calendars
from .loader import load_workflows
from .machine import RouteMachine
from .spec import Route, WorkflowSet


@dataclass(frozen=True)
class Registry:
    workflows: WorkflowSet
    calendars: Calendars
    machines: Mapping[str, RouteMachine]

    @classmethod
    def load(cls, path: str | Path) -> Registry:
        """Load and validate `path`; raise WorkflowError with every problem."""
        return cls.of(load_workflows(path))

    @classmethod
    def of(cls, workflows: WorkflowSet) -> Registry:
        """The registry of an already loaded WorkflowSet: its calendars and one Machine a route."""
        routes = workflows.routes
        machines = {route_id: RouteMachine(route, routes) for route_id, route in routes.items()}
        return cls(workflows, Calendars(workflows.calendars), machines)

    def route(self, route_id: str) -> Route:
        return self.workflows.route(route_id)

    def machine(self, route_id: str) -> RouteMachine:
        """The route's Machine; KeyError for a route the file does not have."""
        return self.machines[route_id]
