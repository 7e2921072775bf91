"""The production stack as docs/deployment.md sets it up, on loopback: PostgreSQL, the
`litigation` command, gunicorn (3 workers, --preload), nginx with TLS, and chromium."""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import ssl
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import make_url

from ..conftest import PASSWORD, SHIPPED_WORKFLOWS
from . import services
from .services import Service

CHROMIUM = os.environ.get("BROWSER_EXECUTABLE") or shutil.which("chromium")
ADMIN_URL = os.environ.get("STACK_DATABASE_URL")
LAWYER = "lawyer@stack.example"
# As tests/web/browser: flags that keep chromium from reaching for a network there is not.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Stack:
    site: str  # https://localhost:PORT, through nginx
    https_port: int
    http_port: int
    folder: Path
    nginx: Service
    gunicorn: Service
    certificate: Path

    @property
    def gunicorn_access_log(self) -> Path:
        return self.folder / "gunicorn.access.log"

    @property
    def nginx_access_log(self) -> Path:
        return self.folder / "litigation.access.log"

    def logs(self) -> dict[str, str]:
        """Every file the stack wrote, by name: access, error and console logs."""
        return {
            path.name: path.read_text(errors="replace")
            for path in sorted(self.folder.iterdir())
            if path.suffix in (".log", ".output")
        }

    def stop(self) -> None:
        """gunicorn, then nginx, each gracefully: every log line is written when it returns."""
        self.gunicorn.stop()
        self.nginx.stop()


def _missing() -> str | None:
    if not ADMIN_URL:
        return "STACK_DATABASE_URL is not set (.ci/run sets it to the local PostgreSQL)"
    if not services.find_nginx():
        return "nginx is not installed (.ci/run installs Debian's nginx)"
    if not CHROMIUM:
        return "chromium is not installed (.ci/run installs it)"
    return None


@pytest.fixture(scope="module")
def stack_database() -> Iterator[str]:
    """A PostgreSQL database of the test's own, dropped afterwards."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    psycopg = pytest.importorskip("psycopg")
    name = services.database_name()
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def production_env(stack_database: str) -> dict[str, str]:
    """deploy/litigation.env.example with this test's database, key and address."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LITIGATION_", "GUNICORN_")) and key != "TEST_DATABASE_URL"
    }
    env.update(services.env_file(services.ENV_EXAMPLE))
    env.update(
        DATABASE_URL=stack_database,
        LITIGATION_SECRET_KEY=secrets.token_hex(32),
        LITIGATION_DOCUMENTS_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        LITIGATION_WORKFLOWS=str(SHIPPED_WORKFLOWS),
    )
    return env


def _answers(url: str, context: ssl.SSLContext | None = None) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5, context=context) as response:
            return response.status == 200
    except urllib.error.HTTPError as error:
        error.close()
        return False
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="module")
def stack(production_env: dict[str, str], tmp_path_factory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("stack")
    https, http, upstream = (services.free_port() for _ in range(3))
    site = f"https://{services.HOST}:{https}"
    env = {**production_env, "LITIGATION_PUBLIC_URL": site}
    cli = [sys.executable, "-m", "litigation"]
    services.run([*cli, "init-db"], env, folder)
    services.run(
        [*cli, "create-user", LAWYER, "--role", "lawyer", "--password", PASSWORD],
        env,
        folder,
    )

    gunicorn_command = [
        *(sys.executable, "-m", "gunicorn", "-c", str(services.GUNICORN_CONF)),
        *("--bind", f"127.0.0.1:{upstream}", "--workers", "3", "--preload"),
        *("--access-logfile", str(folder / "gunicorn.access.log")),
        *("--error-logfile", str(folder / "gunicorn.error.log")),
    ]
    gunicorn = Service("gunicorn", gunicorn_command, folder, env)
    cert, key = services.self_signed_certificate(folder)
    site_conf = folder / "litigation.conf"
    site_conf.write_text(
        services.nginx_site(folder, https=https, http=http, upstream=upstream, cert=cert, key=key)
    )
    main_conf = folder / "nginx.conf"
    main_conf.write_text(services.nginx_main(folder, site_conf))
    nginx_command = [services.find_nginx(), "-p", str(folder), "-c", str(main_conf)]
    nginx = Service("nginx", [*nginx_command, "-e", str(folder / "error.log")], folder, env)
    nginx.stop_signal = 3  # SIGQUIT: nginx's graceful shutdown
    stack = Stack(site, https, http, folder, nginx, gunicorn, cert)
    try:
        services.run([*nginx_command, "-t", "-e", str(folder / "error.log")], env, folder)
        gunicorn.start()
        nginx.start()
        gunicorn.wait_until(lambda: _answers(f"http://127.0.0.1:{upstream}/login"), "answer")
        trusted = ssl.create_default_context(cafile=str(cert))
        nginx.wait_until(lambda: _answers(f"{site}/login", trusted), "answer over https")
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def browser_context(stack: Stack):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=stack.site,
            ignore_https_errors=True,  # the certificate is the test's own, self-signed
            viewport={"width": 390, "height": 844},
        )
        yield context
        context.close()
        browser.close()
