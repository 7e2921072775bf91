"""Loads workflows.yaml once per app and hands the routes to requests and commands."""

from __future__ import annotations

from flask import Flask, current_app

from .workflows.loaded import Registry

KEY = "litigation.registry"


def init_app(app: Flask) -> None:
    """Load and validate the routes; a bad file stops start-up with every problem listed."""
    app.extensions[KEY] = Registry.load(app.config["WORKFLOWS_PATH"])


def current_registry() -> Registry:
    return current_app.extensions[KEY]
