"""When the shop's people answer: support days and hours from the profile, in the shop's zone.

`support.days` reads like "Monday to Friday", "Mon-Sat", "Monday, Wednesday and Friday",
"weekdays" or "every day"; `support.opens`/`support.closes` are "HH:MM" shop time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import FrozenSet, Iterable, Optional
from zoneinfo import ZoneInfo

from bot.shop_dates import local

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ALIASES = {"weekdays": range(0, 5), "every day": range(7), "daily": range(7),
            "7 days a week": range(7), "weekends": range(5, 7)}


def _day(word: str) -> int:
    name = word.strip().lower().rstrip(".")
    if name.endswith("s") and name[:-1] in DAY_NAMES:  # "Mondays"
        name = name[:-1]
    matches = [i for i, day in enumerate(DAY_NAMES) if len(name) >= 2 and day.startswith(name)]
    if len(matches) != 1:
        raise ValueError(f"{word.strip()!r} is not a day of the week")
    return matches[0]


def parse_support_days(text: str) -> FrozenSet[int]:
    """Weekday numbers (Monday = 0) of a text like "Monday to Friday"; ValueError if unclear."""
    cleaned = " ".join(str(text).split())
    if cleaned.lower() in _ALIASES:
        return frozenset(_ALIASES[cleaned.lower()])
    days = set()
    for part in re.split(r"(?i)\s*(?:,|\band\b|&)\s*", cleaned):
        if not part:
            continue
        span = re.fullmatch(r"(?i)(\w+\.?)\s*(?:to|through|thru|-|–)\s*(\w+\.?)", part)
        if span:
            first, last = _day(span.group(1)), _day(span.group(2))
            days.update((first + k) % 7 for k in range((last - first) % 7 + 1))
        else:
            days.add(_day(part))
    if not days:
        raise ValueError("no days given")
    return frozenset(days)


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
    """The SupportHours of a ShopProfile (see bot.handoff_policy for the holidays rule)."""
    opens = time.fromisoformat(profile.support_opens)
    closes = time.fromisoformat(profile.support_closes)
    return SupportHours(profile.handoff.support_days, opens, closes, profile.timezone,
                        frozenset(holidays or ()))
