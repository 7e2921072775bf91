"""Default settings, read before instance/config.py and LITIGATION_* environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORKFLOWS = PROJECT_ROOT / "workflows.yaml"


def database_url(instance_path: str) -> str:
    """DATABASE_URL if set (PostgreSQL in production), else SQLite under instance/."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'litigation.sqlite3'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def workflows_path() -> Path:
    return Path(os.environ.get("LITIGATION_WORKFLOWS", DEFAULT_WORKFLOWS))


def instance_secret_key(instance_path: str) -> str:
    """A random key kept in instance/secret_key (git-ignored), made on first start."""
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def defaults(app: Flask) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(app.instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WORKFLOWS_PATH": str(workflows_path()),
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Almaty",
        "LANGUAGES": ("ru", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,  # accounts.REMEMBER_FOR ends it on the server
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Where the command line says feeds live (it has no request to read the host from).
        "PUBLIC_URL": "http://127.0.0.1:5000",
        # Production (LITIGATION_PRODUCTION=1): a configured secret key is required, cookies
        # are Secure, HSTS is sent, and X-Forwarded-* is trusted from TRUSTED_PROXIES proxies.
        "PRODUCTION": False,
        # Two-factor sign-in: required for these roles (they see every case), and open to
        # everyone else when TWO_FACTOR_FOR_OTHERS is true. Sensitive actions (roles, names
        # in feeds, exports) ask for the password again after CONFIRM_WITHIN_MINUTES.
        "TWO_FACTOR_ROLES": ("admin", "coordinator"),
        "TWO_FACTOR_FOR_OTHERS": True,
        "CONFIRM_WITHIN_MINUTES": 10,
        # How long a one-time link to set a new password works (an admin makes it).
        "PASSWORD_RESET_HOURS": 24,
        "TRUSTED_PROXIES": 1,
        "HSTS_SECONDS": 365 * 24 * 3600,
        # Documents on cases (litigation/documents/): encrypted with DOCUMENTS_KEY (base64 of
        # 32 bytes) or the keys in DOCUMENTS_KEY_FILE; outside production, without either, a
        # key file is made in instance/ at the first upload. Stored in the database or in
        # DOCUMENTS_DIR ("folder"); at most DOCUMENTS_MAX_MB a file.
        "DOCUMENTS_STORAGE": "database",
        "DOCUMENTS_DIR": None,
        "DOCUMENTS_KEY": None,
        "DOCUMENTS_OLD_KEYS": (),
        "DOCUMENTS_KEY_FILE": None,
        "DOCUMENTS_MAX_MB": 20,
        # Built calendar feeds kept in memory by each server worker (web/feed_serving.py).
        "FEED_CACHE_MB": 64,
        # How the organisation numbers its cases: the new-case form suggests the next one.
        "REFERENCE_PATTERN": "{jurisdiction}-{year}-{number:03d}",
        # E-mail (litigation/notifications, `litigation notify`): the SMTP server, how to
        # talk to it (starttls, tls or none), who messages come from. Set in the environment:
        # LITIGATION_SMTP_HOST, _PORT, _SECURITY, _USER, _PASSWORD and LITIGATION_MAIL_FROM.
        "SMTP_HOST": None,
        "SMTP_PORT": None,
        "SMTP_SECURITY": "starttls",
        "SMTP_USER": None,
        "SMTP_PASSWORD": None,
        "SMTP_TIMEOUT": 30,
        "SMTP_CA_FILE": None,  # a private CA for the relay's certificate (else the system's)
        "MAIL_FROM": None,
        # The TrueType fonts a case summary's PDF is set in (Cyrillic; Debian: fonts-dejavu-core).
        "PDF_FONT": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "PDF_FONT_BOLD": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    }


class ConfigError(Exception):
    """The settings cannot be used in production; the message says which and why."""


def apply_production(app: Flask) -> None:
    """Harden the settings of a production app; refuse one without a configured secret key."""
    if not app.config.get("SECRET_KEY"):
        raise ConfigError(
            "production needs a secret key: set LITIGATION_SECRET_KEY (for example the output "
            "of `python -c 'import secrets; print(secrets.token_hex(32))'`), the same on every "
            "host, kept out of git"
        )
    app.config.update(
        SESSION_COOKIE_SECURE=True,
        REMEMBER_COOKIE_SECURE=True,
        PREFERRED_URL_SCHEME="https",
    )
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        # Only the configured number of proxies may say what the client's scheme, host and
        # address were; anything a client writes in X-Forwarded-* beyond them is ignored.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
