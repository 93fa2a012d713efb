"""Reading a customer's answer to a survey question: a score, a skip, or neither.

Only answers that cannot be anything else count as scores: a number alone ("4", "4/5", "4 out
of 5", "4 stars", "#4", "four"), or stars ("⭐⭐⭐⭐"). "return 2 items" or an order number is
not a score, so the customer who types a request instead of a rating is answered normally.
"""
from __future__ import annotations

import re
from typing import Optional

NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10}
_NUMBER = r"(?P<n>\d{1,2}|" + "|".join(NUMBER_WORDS) + r")"
_SCORE = re.compile(
    r"(?:(?:i(?:'d| would)? )?(?:give|rate)(?: (?:it|you|this|us))?(?: an?)?\s+)?#?" + _NUMBER
    + r"(?:\s*(?:/|out of|of)\s*\d{1,2})?(?:\s*(?:stars?|points?|pts))?", re.IGNORECASE)
_STARS = re.compile(r"(?:[\u2b50\u2605]\ufe0f?\s*){1,10}")
_TRAILING = re.compile(r"[\s.!,;:)\-\u2014\U0001F300-\U0001FAFF\u2600-\u27BF\ufe0f]*$")
SKIPS = frozenset({"skip", "no", "no thanks", "no thank you", "nope", "nah", "not now", "later",
                   "pass", "n/a", "na", "none", "nothing", "no comment", "nothing to add", "all good",
                   "that's all", "thats all"})


def _bare(text: str) -> str:
    return _TRAILING.sub("", text.strip()).strip()


def read_score(text: Optional[str], low: int, high: int) -> Optional[int]:
    """The score from `low` to `high` the text gives, or None when it is not a score alone."""
    if not isinstance(text, str):
        return None
    stars = text.strip().rstrip(".! ")
    if _STARS.fullmatch(stars + " "):
        count = len(re.findall(r"[\u2b50\u2605]", stars))
        return count if low <= count <= high else None
    bare = _bare(text)
    match = _SCORE.fullmatch(bare)
    if match is None:
        return None
    word = match.group("n").lower()
    value = NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)
    return value if low <= value <= high else None


def is_skip(text: Optional[str]) -> bool:
    """"skip", "no thanks", "nothing to add"...: the customer does not want to answer."""
    if not isinstance(text, str):
        return False
    return _bare(text).lower().replace("\u2019", "'") in SKIPS
