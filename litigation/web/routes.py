"""The routes to redress: every route with its diagram, stages, guidance and deadline rules."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..registry import current_registry
from .context import lang
from .diagram import route_svg

bp = Blueprint("routes", __name__, url_prefix="/routes")


@bp.route("")
def index():
    return render_template("routes/index.html", routes=current_registry().workflows.routes.values())


@bp.route("/<route_id>")
def show(route_id: str):
    registry = current_registry()
    if route_id not in registry.workflows.routes:
        abort(404)
    route = registry.route(route_id)
    return render_template(
        "routes/show.html",
        route=route,
        svg=route_svg(route, None, lang()),
        facts=registry.workflows.facts,
    )
