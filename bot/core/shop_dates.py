"""Calendar dates as the shop sees them: naive UTC instants read in the shop's time zone.

A delivery at 03:00 UTC on November 9 happened on November 8 in Los Angeles; return windows
and the dates customers read are counted in the shop's time zone.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from bot.core import formatting


def local(when: datetime, tz: str) -> datetime:
    """A naive UTC instant as naive wall-clock time in `tz`."""
    return when.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def local_date(when: datetime, tz: str) -> date:
    return local(when, tz).date()


def _midnight(d: date) -> datetime:
    return datetime.combine(d, time())


def on_date(d: date, today: date) -> str:
    """'yesterday', 'today', or 'on Sunday, November 8' (with the year when not this year)."""
    return formatting.on_day(_midnight(d), _midnight(today))


def long_date(d: date, today: date) -> str:
    """'Sunday, November 8'; 'tomorrow, Tuesday, November 24' near today."""
    return formatting.day(_midnight(d), _midnight(today))


def on_day(when: datetime, now: datetime, tz: str) -> str:
    """on_date for two naive UTC instants, read in the shop's time zone."""
    return on_date(local_date(when, tz), local_date(now, tz))
