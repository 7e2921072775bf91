"""Words the templates translate from stored values (statuses, parties, roles, risk levels).

Templates call `_(value)` on these; listing them here lets `pybabel extract` find them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STORED_VALUES = (
    # deadline status
    _l("open"),
    _l("met"),
    _l("missed"),
    _l("cancelled"),
    _l("continued"),
    # who must act
    _l("us"),
    _l("state"),
    _l("court"),
    _l("committee"),
    # roles
    _l("admin"),
    _l("coordinator"),
    _l("lawyer"),
    _l("staff"),
    # risk of reprisals
    _l("unknown"),
    _l("low"),
    _l("medium"),
    _l("high"),
)
