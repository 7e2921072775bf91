"""Accounts: users and their passwords, signing in, and the sessions that signing in opens.

Operations flush and never commit; the request commits once. Signing in keeps its count of
wrong passwords in a transaction of its own, so that a refused attempt still counts.
"""

from .sessions import (
    IDLE_TIMEOUT,
    REMEMBER_FOR,
    active_sessions,
    end_all_sessions,
    end_session,
    start_session,
    user_of_session,
)
from .sign_in import SignedIn, SignInRefused, TooManySignIns, sign_in, wait_after
from .users import (
    MIN_PASSWORD,
    active_lawyers,
    all_lawyers,
    change_password,
    create_user,
    set_language,
    team_candidates,
    update_user,
)

__all__ = [
    "IDLE_TIMEOUT",
    "MIN_PASSWORD",
    "REMEMBER_FOR",
    "SignInRefused",
    "SignedIn",
    "TooManySignIns",
    "active_lawyers",
    "active_sessions",
    "all_lawyers",
    "change_password",
    "create_user",
    "end_all_sessions",
    "end_session",
    "set_language",
    "sign_in",
    "start_session",
    "team_candidates",
    "update_user",
    "user_of_session",
    "wait_after",
]
