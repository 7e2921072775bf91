"""Calendar feeds: subscriptions behind secret URLs, the entries they show, iCal bytes."""

from .entries import (
    deadline_entry,
    deadlines_for_feed,
    hearing_entry,
    hearings_for_feed,
    last_modified,
)
from .listing import every_feed, feeds_of, revokers
from .subscriptions import (
    create_feed,
    feed_by_token,
    hash_token,
    mark_fetched,
    revoke_feed,
    rotate_feed,
)

__all__ = [
    "create_feed",
    "deadline_entry",
    "deadlines_for_feed",
    "every_feed",
    "feed_by_token",
    "feeds_of",
    "hash_token",
    "hearing_entry",
    "hearings_for_feed",
    "last_modified",
    "mark_fetched",
    "revoke_feed",
    "revokers",
    "rotate_feed",
]
