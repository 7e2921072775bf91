"""The web layer: blueprints, forms and templates. The domain never imports it."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, request
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from ..accounts import user_of_session
from ..db import utcnow
from ..models import User

TRANSLATIONS = str(Path(__file__).resolve().parent.parent / "translations")

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(session_key: str) -> User | None:
    """The user of a live session (flask-login passes the key from the session or the
    remember-me cookie); an ended, idle or deactivated one signs nobody in."""
    return user_of_session(session_key, utcnow())


def select_locale() -> str:
    """The signed-in user's language, else the browser's best match, else Russian."""
    languages = current_app.config["LANGUAGES"]
    if current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app: Flask) -> None:
    """Register the web extensions, blueprints, filters and error pages."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=TRANSLATIONS,
        default_locale=app.config["BABEL_DEFAULT_LOCALE"],
        default_timezone=app.config["BABEL_DEFAULT_TIMEZONE"],
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_message = None

    from . import (
        admin,
        api,
        audit,
        auth,
        calculator,
        cases,
        confirm,
        consents,
        contacts,
        dashboard,
        documents,
        errors,
        examinations,
        feeds,
        filters,
        hearings,
        history,
        home,
        inputs,
        mail,
        menu,
        notes,
        notifications,
        password_reset,
        proceedings,
        routes,
        security,
        summary,
        survivors,
        transaction,
        two_factor,
        uploads,
    )

    inputs.init_app(app)  # before the blueprints: their routes use its id converter
    for module in (
        auth,
        password_reset,
        confirm,
        two_factor,
        notifications,
        home,
        cases,
        summary,
        survivors,
        proceedings,
        notes,
        history,
        consents,
        contacts,
        examinations,
        hearings,
        documents,
        routes,
        calculator,
        api,
        feeds,
        admin,
        audit,
        dashboard,
    ):
        app.register_blueprint(module.bp)
    transaction.init_app(app)
    # The notify pass (cli/notify.py) writes its e-mail with the web layer's words.
    app.extensions["litigation.compose_mail"] = mail.compose
    filters.init_app(app)
    menu.init_app(app)
    errors.init_app(app)
    uploads.init_app(app)  # its 413 page for uploads is more specific than errors.py's
    security.init_app(app)
    two_factor.init_app(app)

    @app.before_request
    def _remember_language() -> None:
        g.lang = select_locale()
