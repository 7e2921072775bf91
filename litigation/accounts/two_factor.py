"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and one-time recovery codes.

Required for the roles the policy names (admins and coordinators by default: they see every
case), open to everyone else when the policy allows. A code is accepted once: the step it
belongs to is kept, so a code read over someone's shoulder cannot be used again. Recovery
codes are random and long, so a plain sha256 of each is enough to keep them unreadable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import pyotp
import segno
from sqlalchemy import or_, select, update

from ..audit import record
from ..db import db, utcnow
from ..errors import InvalidInput, msg
from ..models import AuditKind, RecoveryCode, User

ISSUER = "litigation"
RECOVERY_CODES = 10
# A code is accepted in the 30-second step it was made for and one step either side,
# for phones whose clocks drift a little.
DRIFT_STEPS = 1


@dataclass(frozen=True)
class Enrolment:
    """A new secret offered to the user, before a first code proves their app has it."""

    secret: str
    uri: str

    @property
    def qr_svg(self) -> str:
        """The otpauth:// URI as an inline SVG QR code, drawn here: no outside service."""
        return segno.make(self.uri, error="m").svg_inline(scale=4, border=2)


def policy_requires(user: User, required_roles: Iterable[str]) -> bool:
    return user.role in set(required_roles)


def new_enrolment(user: User, secret: str | None = None) -> Enrolment:
    secret = secret or pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrolment(secret, uri)


def _clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def _matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step whose code this is, within the allowed drift; None if none matches."""
    totp = pyotp.TOTP(secret)
    moment = now.timestamp()
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(moment, counter_offset=offset), code):
            return totp.timecode(dt.datetime.fromtimestamp(moment)) + offset
    return None


def check_app_code(user: User, code: str, now: dt.datetime) -> bool:
    """True, once, for a current code of the user's app (the step is spent)."""
    code = _clean_code(code)
    if user.totp_secret is None or len(code) != 6 or not code.isdigit():
        return False
    step = _matching_step(user.totp_secret, code, now)
    if step is None:
        return False
    # Spend the step in one conditional UPDATE: of two requests racing with one code, the
    # second waits for the first's row lock and then finds the step already spent.
    spent = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["totp_last_step"])
    return spent.rowcount == 1


def use_recovery_code(user: User, code: str, now: dt.datetime) -> bool:
    """True, once, for one of the user's unused recovery codes (it is used up)."""
    wanted = _hash(_clean_code(code))
    for row in _unused_codes(user):
        if hmac.compare_digest(row.code_hash, wanted):
            used = db.session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=now)
                .execution_options(synchronize_session=False)
            )
            if used.rowcount != 1:
                return False
            record(AuditKind.RECOVERY_CODE_USED, actor=user, user=user)
            return True
    return False


def check_second_factor(user: User, code: str, now: dt.datetime) -> bool:
    """An app code or a recovery code; flushes what it spends."""
    accepted = check_app_code(user, code, now) or use_recovery_code(user, code, now)
    db.session.flush()
    return accepted


def enable_two_factor(user: User, secret: str, code: str, now: dt.datetime) -> list[str]:
    """Keep `secret` once a code from the app proves it holds it; the new recovery codes."""
    step = _matching_step(secret, _clean_code(code), now) if len(_clean_code(code)) == 6 else None
    if step is None:
        raise InvalidInput(
            {"code": msg("This code does not match. Check the time on your phone and try again.")}
        )
    user.totp_secret = secret
    user.totp_last_step = step
    record(AuditKind.TWO_FACTOR_ENABLED, actor=user, user=user)
    return make_recovery_codes(user, actor=user)


def disable_two_factor(user: User, *, actor: User, required_roles: Iterable[str]) -> None:
    """Forget the app and the recovery codes. The user themself cannot when the policy requires
    it; an admin can (a lost phone), and the user enrolls again at the next sign-in."""
    if actor.id == user.id and policy_requires(user, required_roles):
        raise InvalidInput({"code": msg("Two-factor sign-in is required for your role.")})
    user.totp_secret = None
    user.totp_last_step = None
    _forget_codes(user)
    record(AuditKind.TWO_FACTOR_DISABLED, actor=actor, user=user)
    db.session.flush()


def make_recovery_codes(user: User, *, actor: User) -> list[str]:
    """Ten fresh one-time codes, shown once; any earlier ones stop working."""
    _forget_codes(user)
    codes = [_new_code() for _ in range(RECOVERY_CODES)]
    now = utcnow()
    for code in codes:
        db.session.add(
            RecoveryCode(user_id=user.id, code_hash=_hash(_clean_code(code)), created_at=now)
        )
    record(AuditKind.RECOVERY_CODES_MADE, actor=actor, user=user)
    db.session.flush()
    return codes


def recovery_codes_left(user: User) -> int:
    return len(_unused_codes(user))


def _unused_codes(user: User) -> list[RecoveryCode]:
    return list(
        db.session.scalars(
            select(RecoveryCode).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
    )


def _forget_codes(user: User) -> None:
    now = utcnow()
    for row in _unused_codes(user):
        row.used_at = now


def _new_code() -> str:
    # 10 characters of base32: 50 bits, beyond guessing; grouped for reading aloud.
    raw = "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
