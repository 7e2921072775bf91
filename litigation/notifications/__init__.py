"""Reminders, digests and escalations by e-mail: planned from the records, made into outbox
rows once, claimed before sending, retried with back-off. No Flask here: the words come from
the caller (web/mail.py), the clock from the command line."""

from .outbox import CLAIM_LEASE, MAX_ATTEMPTS, Planned, retry_delay
from .passes import PassReport, preview, run_pass, worker_name
from .planning import plan
from .smtp import MailSettingsError, SmtpSettings, deliver

__all__ = [
    "CLAIM_LEASE",
    "MAX_ATTEMPTS",
    "MailSettingsError",
    "PassReport",
    "Planned",
    "SmtpSettings",
    "deliver",
    "plan",
    "preview",
    "retry_delay",
    "run_pass",
    "worker_name",
]
