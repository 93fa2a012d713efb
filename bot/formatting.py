"""How money and dates read in a customer-facing message."""
from __future__ import annotations

from datetime import date, datetime


def money(cents: int, currency: str = "USD") -> str:
    sign = "-" if cents < 0 else ""
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{symbol}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def day(when: datetime, now: datetime) -> str:
    """'today', 'tomorrow', 'yesterday', else 'Tuesday, November 24'."""
    delta = (when.date() - now.date()).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    text = f"{when:%A}, {when:%B} {when.day}"
    return text if when.year == now.year else f"{text}, {when.year}"


def days_ago(when: datetime, now: datetime) -> str:
    n = (now.date() - when.date()).days
    if n <= 0:
        return "today"
    return "yesterday" if n == 1 else f"{n} days ago"


def short_date(when: date) -> str:
    return f"{when:%b} {when.day}, {when.year}"
