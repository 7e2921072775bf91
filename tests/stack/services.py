"""The pieces of the production stack a test starts: a database of its own, a throwaway TLS
certificate, nginx from deploy/nginx.conf, gunicorn from deploy/gunicorn.conf.py."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX_TEMPLATE = DEPLOY / "nginx.conf"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
ENV_EXAMPLE = DEPLOY / "litigation.env.example"
HOST = "localhost"


def find_nginx() -> str | None:
    """nginx on PATH, or in /usr/sbin where Debian puts it (not on a user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def env_file(path: Path) -> dict[str, str]:
    """The KEY=VALUE lines of an environment file as systemd and `sh` read this one."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        values[key] = value
    return values


def self_signed_certificate(folder: Path, host: str = HOST) -> tuple[Path, Path]:
    """A certificate for `host` and 127.0.0.1, valid for a day, and its key, as PEM files."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    names = [x509.DNSName(host), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def render(template: str, replacements: dict[str, str]) -> str:
    """`template` with each key replaced; a key the template no longer holds is an error, so
    the test cannot drift away from the shipped file unnoticed."""
    missing = [old for old in replacements if old not in template]
    if missing:
        raise AssertionError(f"{NGINX_TEMPLATE.name} no longer contains {missing}")
    for old, new in replacements.items():
        template = template.replace(old, new)
    return template


def nginx_site(folder: Path, *, https: int, http: int, upstream: int, cert: Path, key: Path) -> str:
    """deploy/nginx.conf on loopback ports, with the test's certificate and log folder."""
    site = "/etc/letsencrypt/live/litigation.example.org"
    return render(
        NGINX_TEMPLATE.read_text(encoding="utf-8"),
        {
            f"{site}/fullchain.pem": str(cert),
            f"{site}/privkey.pem": str(key),
            "server_name litigation.example.org;": f"server_name {HOST};",
            "listen 443 ": f"listen 127.0.0.1:{https} ",
            "listen 80": f"listen 127.0.0.1:{http}",
            "listen [::]:": "# listen [::]:",
            "/var/log/nginx/": f"{folder}/",
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
        },
    )


def nginx_main(folder: Path, site: Path) -> str:
    """The main configuration Debian's /etc/nginx/nginx.conf plays in production, with every
    path in `folder`: nginx runs as the current user, in the foreground, as a child."""
    lines = [
        "daemon off;",
        "worker_processes 1;",
        f"pid {folder}/nginx.pid;",
        f"error_log {folder}/error.log warn;",
        "events { worker_connections 64; }",
        "http {",
        f"    access_log {folder}/other.access.log;",
        *(f"    {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy")),
        *(f"    {kind}_temp_path {folder}/{kind};" for kind in ("fastcgi", "uwsgi", "scgi")),
        f"    include {site};",
        "}",
    ]
    if os.geteuid() == 0:
        # As root nginx would hand its workers to `nobody`, who cannot enter the test's folder.
        lines.insert(0, "user root;")
    return "\n".join(lines) + "\n"


@dataclass
class Service:
    """A child process whose output goes to files, stopped gracefully with `stop_signal`."""

    name: str
    command: list[str]
    folder: Path
    env: dict[str, str]
    stop_signal: int = signal.SIGTERM
    process: subprocess.Popen | None = field(default=None, init=False)

    @property
    def output(self) -> Path:
        return self.folder / f"{self.name}.output"

    def start(self) -> Service:
        with self.output.open("wb") as output:
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.folder,
                start_new_session=True,
            )
        return self

    def tail(self) -> str:
        text = self.output.read_text(errors="replace") if self.output.exists() else ""
        return text[-3000:]

    def wait_until(self, ready: Callable[[], bool], what: str, seconds: float = 30) -> None:
        """Poll `ready` until it holds; fail at once if the process ends, or at the deadline."""
        deadline = time.monotonic() + seconds
        while not ready():
            if self.process.poll() is not None:
                raise AssertionError(
                    f"{self.name} exited with {self.process.returncode} before {what}:\n"
                    f"$ {shlex.join(self.command)}\n{self.tail()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: no {what} after {seconds} s:\n{self.tail()}")
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=0.05)  # returns at once if the process ends

    def stop(self, seconds: float = 20) -> None:
        """Stop gracefully (logs flushed), then kill if it has not ended within `seconds`."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(self.stop_signal)
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def run(command: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run a command line to its end; fail with its output if it fails."""
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        raise AssertionError(
            f"$ {shlex.join(command)} exited with {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )
    return result.stdout


def database_name() -> str:
    return f"stack_{secrets.token_hex(6)}"
