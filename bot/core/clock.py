"""The current time as the bot sees it: naive UTC, or a fixed instant for tests and demos."""
from __future__ import annotations

import os
from datetime import datetime, timezone

#: Set to an ISO 8601 time (e.g. 2026-11-23T12:00:00) to freeze the bot's clock.
FIXED_NOW_ENV = "SHOP_NOW"


def now() -> datetime:
    fixed = os.environ.get(FIXED_NOW_ENV)
    if fixed:
        moment = datetime.fromisoformat(fixed)
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        return moment
    return datetime.now(timezone.utc).replace(tzinfo=None)
