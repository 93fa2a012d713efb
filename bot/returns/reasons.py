"""Turning a return reason typed in the customer's own words into one of the shop's reasons."""
from __future__ import annotations

import re
from typing import Optional, Sequence

# Words that point at the demo profile's reasons; a shop's own reasons still match by their words.
_HINTS = {
    "wrong size": ("size", "small", "big", "large", "tight", "loose", "fit", "fits", "short", "long"),
    "changed my mind": ("mind", "like", "need", "want", "regret", "anymore", "ugly", "colour", "color"),
    "damaged": ("damaged", "broken", "broke", "torn", "ripped", "scratched", "defective", "faulty",
                "stain", "stained", "hole", "cracked"),
    "not as described": ("described", "description", "pictured", "picture", "photo", "expected",
                         "different", "quality", "cheap", "looks"),
    "wrong item": ("wrong", "ordered", "sent", "item", "instead"),
    "arrived late": ("late", "delay", "delayed", "slow", "took"),
}


def _words(text: str) -> set:
    return set(re.findall(r"[a-z]+", text.lower()))


def reason_from_text(text: Optional[str], reasons: Sequence[str]) -> Optional[str]:
    """The shop reason `text` names (exact, or by its words or hint words); None if unclear."""
    said = " ".join((text or "").lower().split()).strip(" .!?")
    if not said:
        return None
    for reason in reasons:
        if said == reason.lower():
            return reason
    words = _words(said)
    scores = {}
    for reason in reasons:
        own = _words(reason) - {"my", "as", "not", "i"}
        hints = set(_HINTS.get(reason.lower(), ()))
        scores[reason] = 2 * len(words & own) + len(words & hints)
    best = max(scores.values(), default=0)
    winners = [r for r, s in scores.items() if s == best]
    return winners[0] if best > 0 and len(winners) == 1 else None
