"""Accounts: users and their passwords (and one-time links to set a new one), signing in, and
the sessions that signing in opens.

Operations flush and never commit; the request commits once. Signing in keeps its count of
wrong passwords in a transaction of its own, so that a refused attempt still counts.
"""

from .passwords import MIN_PASSWORD
from .preferences import (
    DIGESTS,
    TIME_ZONES,
    settings_fingerprint,
    settings_of,
    update_notification_settings,
)
from .resets import (
    LinkUnusable,
    ResetLink,
    make_reset_link,
    reset_by_token,
    reset_password,
    revoke_reset_links,
)
from .sessions import (
    IDLE_TIMEOUT,
    REMEMBER_FOR,
    active_sessions,
    confirmed_recently,
    end_all_sessions,
    end_session,
    mark_confirmed,
    start_session,
    user_of_session,
)
from .sign_in import (
    SignedIn,
    SignInRefused,
    TooManySignIns,
    WrongCode,
    confirm_identity,
    second_factor,
    sign_in,
    wait_after,
)
from .two_factor import (
    Enrolment,
    disable_two_factor,
    enable_two_factor,
    make_recovery_codes,
    new_enrolment,
    policy_requires,
    recovery_codes_left,
)
from .users import (
    active_lawyers,
    all_lawyers,
    change_password,
    create_user,
    set_language,
    team_candidates,
    update_user,
)

__all__ = [
    "DIGESTS",
    "IDLE_TIMEOUT",
    "MIN_PASSWORD",
    "REMEMBER_FOR",
    "TIME_ZONES",
    "Enrolment",
    "LinkUnusable",
    "ResetLink",
    "SignInRefused",
    "SignedIn",
    "TooManySignIns",
    "WrongCode",
    "active_lawyers",
    "active_sessions",
    "all_lawyers",
    "change_password",
    "confirm_identity",
    "confirmed_recently",
    "create_user",
    "disable_two_factor",
    "enable_two_factor",
    "end_all_sessions",
    "end_session",
    "make_recovery_codes",
    "make_reset_link",
    "mark_confirmed",
    "new_enrolment",
    "policy_requires",
    "recovery_codes_left",
    "reset_by_token",
    "reset_password",
    "revoke_reset_links",
    "second_factor",
    "set_language",
    "settings_fingerprint",
    "settings_of",
    "sign_in",
    "start_session",
    "team_candidates",
    "update_notification_settings",
    "update_user",
    "user_of_session",
    "wait_after",
]
