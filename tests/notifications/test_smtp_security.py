"""The SMTP conversation as a real server holds it: STARTTLS or TLS with the server's
certificate checked, and the account's login, before a message goes."""

from __future__ import annotations

import ssl
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from litigation.notifications import MailSettingsError, SmtpSettings, deliver
from tests.stack.services import self_signed_certificate

from .conftest import Inbox, _free_port

# Implicit TLS: aiosmtpd warns that AUTH is allowed without STARTTLS; the socket is TLS already.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
USER, PASSWORD = "reminders@ngo.example", "123456"  # digits: read from the env as a number


def _accept(server, session, envelope, mechanism, auth_data) -> AuthResult:
    good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=good)


@pytest.fixture
def relay(tmp_path: Path):
    """Factory: a relay on loopback speaking STARTTLS or implicit TLS, requiring a login."""
    cert_file, key_file = self_signed_certificate(tmp_path)  # a private CA's, in effect
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    started = []

    def start(security: str) -> tuple[Inbox, int, Path]:
        inbox, port = Inbox(), _free_port()
        options = {"authenticator": _accept, "auth_required": True}
        if security == "starttls":
            options |= {"tls_context": context, "require_starttls": True}
        else:
            # The whole connection is TLS: aiosmtpd cannot tell, so it is told AUTH may go.
            options |= {"ssl_context": context, "auth_require_tls": False}
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        started.append(controller)
        return inbox, port, cert_file

    yield start
    for controller in started:
        controller.stop()


def _message() -> EmailMessage:
    message = EmailMessage()
    message["Subject"], message["To"] = "T-0001: 3 days left", "lawyer@ngo.example"
    message.set_content("A deadline is coming.")
    return message


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_message_goes_over_tls_with_the_certificate_checked_and_a_login(relay, security):
    inbox, port, ca_file = relay(security)
    config = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_SECURITY": security,
        "SMTP_USER": USER,
        "SMTP_PASSWORD": int(PASSWORD),  # as LITIGATION_SMTP_PASSWORD=123456 arrives
        "SMTP_CA_FILE": str(ca_file),
        "MAIL_FROM": USER,
    }

    deliver(SmtpSettings.from_config(config), _message())

    [received] = inbox.messages
    assert received["Subject"] == "T-0001: 3 days left"


def test_a_server_whose_certificate_is_not_trusted_gets_nothing(relay):
    inbox, port, _ca_file = relay("starttls")
    settings = SmtpSettings.from_config(
        {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "MAIL_FROM": USER}
    )

    with pytest.raises(ssl.SSLCertVerificationError):
        deliver(settings, _message())
    assert inbox.messages == []


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ({"SMTP_HOST": "relay", "MAIL_FROM": "a@b", "SMTP_SECURITY": "ssl"}, "starttls, tls, none"),
        ({"SMTP_HOST": "relay"}, "LITIGATION_MAIL_FROM"),
        ({"SMTP_HOST": "relay", "MAIL_FROM": "a@b", "SMTP_PORT": "smtp"}, "LITIGATION_SMTP_PORT"),
    ],
)
def test_unusable_settings_are_refused_with_what_to_fix(config, problem):
    with pytest.raises(MailSettingsError, match=problem):
        SmtpSettings.from_config(config)


def test_default_ports_follow_the_security_and_no_host_means_no_mail():
    assert SmtpSettings.from_config({"SMTP_HOST": "relay", "MAIL_FROM": "a@b"}).port == 587
    tls = SmtpSettings.from_config({"SMTP_HOST": "r", "MAIL_FROM": "a@b", "SMTP_SECURITY": "tls"})
    assert tls.port == 465
    assert SmtpSettings.from_config({"MAIL_FROM": "a@b"}) is None
