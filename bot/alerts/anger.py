"""Does a message sound angry? The profile's angry words as whole words, or shouting (most of a
longer message in capitals). Pure and cheap: run on every customer message as it is saved."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Tuple

#: Shouting: at least this many letters, and this share of them upper case.
SHOUT_LETTERS, SHOUT_SHARE = 12, 0.8


@lru_cache(maxsize=8)
def _pattern(words: Tuple[str, ...]) -> Optional["re.Pattern[str]"]:
    if not words:
        return None
    alternatives = sorted((r"\s+".join(map(re.escape, w.split())) for w in words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha() and c.isascii()]
    return len(letters) >= SHOUT_LETTERS and sum(c.isupper() for c in letters) >= SHOUT_SHARE * len(letters)


def sounds_angry(text: str, words: Tuple[str, ...]) -> bool:
    if not isinstance(text, str) or not text.strip() or text.startswith("/"):
        return False  # a button's payload is not the customer's words
    pattern = _pattern(words)
    return bool(pattern and pattern.search(text)) or shouting(text)
