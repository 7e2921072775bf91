"""Sending through an SMTP server with the standard library, settings from the environment.

LITIGATION_SMTP_HOST, _PORT, _SECURITY (starttls, tls or none), _USER, _PASSWORD, _TIMEOUT,
_CA_FILE and LITIGATION_MAIL_FROM: read by create_app as SMTP_HOST ... MAIL_FROM. Without a
host nothing is sent: the command says what to set.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


class MailSettingsError(Exception):
    """The SMTP settings cannot be used; the message says which and why."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str
    timeout: float = 30.0
    ca_file: str | None = None  # a private CA's certificate, for a relay inside the network

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings | None:
        """The settings in the app's config, or None when no SMTP host is set."""
        host = config.get("SMTP_HOST")
        if not host:
            return None
        security = str(config.get("SMTP_SECURITY") or "starttls").lower()
        if security not in SECURITY:
            raise MailSettingsError(
                f"LITIGATION_SMTP_SECURITY must be one of {', '.join(SECURITY)}, not {security!r}"
            )
        sender = config.get("MAIL_FROM")
        if not sender:
            raise MailSettingsError("set LITIGATION_MAIL_FROM, the address messages come from")
        try:
            port = int(config.get("SMTP_PORT") or DEFAULT_PORTS[security])
            timeout = float(config.get("SMTP_TIMEOUT") or 30)
        except (TypeError, ValueError) as error:
            raise MailSettingsError(f"LITIGATION_SMTP_PORT / _TIMEOUT: {error}") from error
        return cls(
            host=str(host),
            port=port,
            security=security,
            # str(): the environment's values are read as JSON, and a password may be digits.
            user=_text(config.get("SMTP_USER")),
            password=_text(config.get("SMTP_PASSWORD")),
            sender=str(sender),
            timeout=timeout,
            ca_file=_text(config.get("SMTP_CA_FILE")),
        )


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def deliver(settings: SmtpSettings, message: EmailMessage) -> None:
    """Hand one message to the server; raises smtplib.SMTPException or OSError on failure."""
    # The server's certificate and name are always checked: a message names a case.
    context = ssl.create_default_context(cafile=settings.ca_file)
    if settings.security == "tls":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with server:
        if settings.security == "starttls":
            server.starttls(context=context)
        if settings.user:
            server.login(settings.user, settings.password or "")
        server.send_message(message, from_addr=settings.sender)
