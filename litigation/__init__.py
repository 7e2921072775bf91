"""litigation: routes to redress for torture survivors, as data, with their deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, instance config, test mapping, then each part's init_app."""
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
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret_key(app.instance_path)

    from . import cli, db, registry, web

    registry.init_app(app)
    db.init_app(app)
    cli.init_app(app)
    web.init_app(app)
    return app
