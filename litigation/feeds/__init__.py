"""Calendar feeds: subscriptions behind secret URLs, the entries they show, iCal bytes."""

from .entries import (
    cases_named_in,
    deadline_entry,
    deadlines_for_feed,
    hearing_entry,
    hearings_for_feed,
    last_modified,
    named_feeds_showing,
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
    "cases_named_in",
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
    "named_feeds_showing",
    "revoke_feed",
    "revokers",
    "rotate_feed",
]
