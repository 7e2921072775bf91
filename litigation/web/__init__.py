"""The web layer: blueprints, forms and templates. The domain never imports it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprints and web extensions."""
