"""When the shop's people answer: support days and hours from the profile, in the shop's zone.

`support.days` is parsed by `bot.profile.support_days`; `support.opens`/`support.closes` are
"HH:MM" shop time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import FrozenSet, Iterable, Optional
from zoneinfo import ZoneInfo

from bot.core.shop_dates import local


@dataclass(frozen=True)
class SupportHours:
    days: FrozenSet[int]  # weekday numbers, Monday = 0
    opens: time
    closes: time
    timezone: str
    closed_on: FrozenSet[date] = frozenset()  # holidays

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.closed_on


@dataclass(frozen=True)
class SupportStatus:
    open_now: bool
    next_opening: Optional[datetime] = None  # naive UTC; None while open
    next_opening_local: Optional[datetime] = None  # the same in shop time
    closes_local: Optional[datetime] = None  # while open: today's closing, shop time


def _utc(local_moment: datetime, tz: str) -> datetime:
    aware = local_moment.replace(tzinfo=ZoneInfo(tz))
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def support_status(now: datetime, hours: SupportHours) -> SupportStatus:
    """Whether people answer at `now` (naive UTC), else when they next do."""
    here = local(now, hours.timezone)
    today = here.date()
    if hours.is_working_day(today) and hours.opens <= here.time() < hours.closes:
        return SupportStatus(True, closes_local=datetime.combine(today, hours.closes))
    start = 0 if here.time() < hours.opens else 1
    for offset in range(start, start + 800):  # holidays could cover a long stretch
        day = today + timedelta(days=offset)
        if hours.is_working_day(day):
            opening = datetime.combine(day, hours.opens)
            return SupportStatus(False, _utc(opening, hours.timezone), opening)
    return SupportStatus(False)  # no working day at all: the caller says "by email"


def hours_from_profile(profile, holidays: Optional[Iterable[date]] = None) -> SupportHours:
    """The SupportHours of a ShopProfile (see bot.handoff.policy for the holidays rule)."""
    opens = time.fromisoformat(profile.support_opens)
    closes = time.fromisoformat(profile.support_closes)
    return SupportHours(profile.handoff.support_days, opens, closes, profile.timezone,
                        frozenset(holidays or ()))
