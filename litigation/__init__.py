"""litigation: routes to redress for torture survivors, as data, with their deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None, *, allow_stranded: bool = False) -> Flask:
    """Build the app: defaults, instance config, test mapping, then each part's init_app.

    It refuses to start while open proceedings sit in a stage or route that workflows.yaml
    no longer has (the command line allows it, to move them with `litigation migrate-stage`).
    """
    # Flask is imported here, not at the top, so that `litigation.workflows` stays importable
    # without the web stack.
    from flask import Flask

    from . import config

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="web/templates",
        static_folder="web/static",
    )
    app.config.from_mapping(config.defaults(app))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("LITIGATION")
    else:
        app.config.from_mapping(test_config)
    if app.config["PRODUCTION"]:
        config.apply_production(app)
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret_key(app.instance_path)

    from . import cli, db, documents, registry, web

    registry.init_app(app)
    db.init_app(app)
    documents.init_app(app)
    cli.init_app(app)
    web.init_app(app)
    if not allow_stranded:
        _refuse_stranded(app)
    return app


def _refuse_stranded(app: Flask) -> None:
    """Refuse open proceedings the file strands; warn of deadlines awaiting `recalc`."""
    from .registry import current_registry
    from .workflows import WorkflowError

    with app.app_context():
        found = check_stored_records(app, current_registry())
    if found is None:
        # No database yet, or one whose schema predates this code: `litigation init-db`
        # creates or upgrades it, and the check runs at the next start.
        app.logger.warning("stranded proceedings not checked: no current database")
        return
    problems, stale = found
    if problems:
        raise WorkflowError(problems)
    if stale:
        app.logger.warning(
            "%d open deadline(s) were computed with rules or calendars that workflows.yaml has "
            "changed since: review them with `litigation recalc`",
            stale,
        )


def check_stored_records(app: Flask, registry: Any) -> tuple[list, int] | None:
    """The proceedings `registry` would strand and the deadlines awaiting `litigation recalc`
    in the app's database; None when there is no database (of this schema) to look at."""
    from pathlib import Path

    from sqlalchemy import inspect, make_url
    from sqlalchemy.exc import SQLAlchemyError

    from .cases.recalc import stale_fingerprints, stranded_problems
    from .db import db

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return None  # looking must not create an empty database file
    try:
        if not inspect(db.engine).has_table("proceedings"):
            return None
        return stranded_problems(registry), stale_fingerprints(registry)
    except SQLAlchemyError:
        return None
    finally:
        db.session.remove()
        db.engine.dispose()  # no connection outlives the check (gunicorn --preload forks)
