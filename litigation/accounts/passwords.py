"""The rules every new password meets, wherever it is set."""

from __future__ import annotations

from zxcvbn import zxcvbn

from ..errors import InvalidInput, msg

MIN_PASSWORD = 12
# zxcvbn's score from 0 to 4: below 3 a password falls to a guessing attack that knows
# dictionaries, keyboard runs and the person's own e-mail.
MIN_STRENGTH = 3


def check_password_rules(password: str, field: str = "password", email: str = "") -> None:
    """At least 12 characters, not a common password, not built on the e-mail."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            {field: msg("The password needs at least %(n)d characters.", n=MIN_PASSWORD)}
        )
    local = email.split("@")[0].lower()
    if len(local) >= 3 and local in password.lower():
        raise InvalidInput({field: msg("The password must not contain your e-mail address.")})
    if zxcvbn(password[:100], user_inputs=[email, local])["score"] < MIN_STRENGTH:
        raise InvalidInput(
            {
                field: msg(
                    "This password is too easy to guess (a common password, words in a row "
                    "or a keyboard pattern): choose a longer, less usual one."
                )
            }
        )
