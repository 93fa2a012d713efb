"""The shop's support days as the profile writes them: "Monday to Friday", "Mon-Sat",
"Monday, Wednesday and Friday", "weekdays" or "every day", read into weekday numbers (Monday = 0).
"""
from __future__ import annotations

import re
from typing import FrozenSet

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
    days: set[int] = set()
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
