"""The loaded routes and their calendars, built once at start-up and shared read-only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .calendar import Calendars
from .loader import load_workflows
from .spec import Route, WorkflowSet


@dataclass(frozen=True)
class Registry:
    workflows: WorkflowSet
    calendars: Calendars

    @classmethod
    def load(cls, path: str | Path) -> Registry:
        """Load and validate `path`; raise WorkflowError with every problem."""
        workflows = load_workflows(path)
        return cls(workflows, Calendars(workflows.calendars))

    def route(self, route_id: str) -> Route:
        return self.workflows.route(route_id)
