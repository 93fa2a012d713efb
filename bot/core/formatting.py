"""How money and dates read in a customer-facing message."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Iterable


def money(cents: int, currency: str = "USD") -> str:
    sign = "-" if cents < 0 else ""
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{symbol}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def _full(when: datetime, now: datetime) -> str:
    text = f"{when:%A}, {when:%B} {when.day}"
    return text if when.year == now.year else f"{text}, {when.year}"


def _relative(when: datetime, now: datetime) -> str:
    return {0: "today", 1: "tomorrow", -1: "yesterday"}.get((when.date() - now.date()).days, "")


def day(when: datetime, now: datetime) -> str:
    """'tomorrow, Tuesday, November 24' near now, else 'Friday, November 13'."""
    relative = _relative(when, now)
    return f"{relative}, {_full(when, now)}" if relative else _full(when, now)


def on_day(when: datetime, now: datetime) -> str:
    """For 'it was delivered …': 'yesterday', else 'on Friday, November 13'."""
    return _relative(when, now) or f"on {_full(when, now)}"


def days_ago(when: datetime, now: datetime) -> str:
    n = (now.date() - when.date()).days
    if n <= 0:
        return "today"
    return "yesterday" if n == 1 else f"{n} days ago"


def short_date(when: date) -> str:
    return f"{when:%b} {when.day}, {when.year}"


def join_words(words: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def clock(moment: time) -> str:
    """9:00 -> '9am', 17:30 -> '5:30pm'."""
    suffix = "am" if moment.hour < 12 else "pm"
    hour = moment.hour % 12 or 12
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"
