"""Access logs that never show a secret token in an address (gunicorn's `logger_class`).

A feed's address is its only key (calendar clients cannot sign in), so a log line holding it
would let anyone who reads the logs subscribe to a lawyer's deadlines. Any path segment that
ends in `.ics` is masked, whatever precedes it and however it is percent-encoded, because
the router decodes `/c%61lendars/TOKEN%2Eics` to the feed just the same; a segment of digits
only (`/calendars/deadline/12.ics`, behind sign-in) is an id, not a token, and is kept.
A one-time password link, `/reset/TOKEN`, would let its reader take the account over: the
segment after `/reset/` is masked, with the same care for `/r%65set%2FTOKEN`.
deploy/nginx.conf masks the same segments with a `map` on `$request_uri`.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

MASK = "***"
FEED_TOKEN = re.compile(r"/(?!\d+(?:\.|%2e)ics\b)[^/?#\s\"]+((?:\.|%2e)ics)\b", re.IGNORECASE)
# "/reset/", each of its letters and its last slash perhaps percent-encoded.
RESET_TOKEN = re.compile(
    r"(/(?:r|%72)(?:e|%65)(?:s|%73)(?:e|%65)(?:t|%74)(?:/|%2f))[^/?#&\s\"]+", re.IGNORECASE
)


def mask_tokens(text: str) -> str:
    """`text` with every feed token and password-link token in a path or URL replaced by ***."""
    text = FEED_TOKEN.sub(rf"/{MASK}\1", text)
    return RESET_TOKEN.sub(rf"\1{MASK}", text)


mask_feed_tokens = mask_tokens  # its name from when feeds had the only tokens in addresses


class MaskingLogger(Logger):
    """gunicorn's logger, with tokens masked in every atom of the access log line."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        # Every string atom: the request line (r), the path (U), the referer (f) and the
        # {raw_uri}e / {referer}i spellings an access_log_format may use.
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_tokens(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


__all__ = ["MASK", "MaskingLogger", "mask_feed_tokens", "mask_tokens"]
