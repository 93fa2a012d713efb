"""Reading a shipping question's details from the customer's own words.

"If I order now with next-day, when will it get to 94107?" -> method "next-day", place ZIP
94107; "my cart is $63" -> 6300 cents. Deterministic, so the answer never depends on
whether the model tagged the entity.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.profile.shipping_policy import ShippingPolicy
from bot.shipping.locations import Place, PlaceKind, resolve_location

# Ways customers name methods, squashed (lowercase letters and digits only) -> method code.
_SAID = {
    "twoday": "two_day", "2day": "two_day", "express": "two_day", "expedited": "two_day",
    "nextday": "next_day", "overnight": "next_day", "oneday": "next_day", "1day": "next_day",
    "nextbusinessday": "next_day", "sameday": "same_day", "economy": "economy",
    "cheapest": "economy", "standard": "standard", "ground": "standard", "regular": "standard",
}
_AMOUNT = re.compile(
    r"\$\s?(\d{1,6}(?:[.,]\d{1,2})?)|(\d{1,6}(?:[.,]\d{1,2})?)\s?(?:usd|dollars?|bucks)\b", re.I)
# "to Narnia", "in Atlantis": a capitalised name after a place word, for places we don't know.
_NAMED_PLACE = re.compile(r"\b(?:to|in|into|for|from)\s+((?:[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*){0,2})")


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def method_in(text: Optional[str], policy: ShippingPolicy) -> Optional[str]:
    """The words naming a shipping method in `text` (for find_method), or None."""
    known = dict(_SAID)
    for zone in policy.zones:
        for m in zone.methods:
            known.setdefault(_squash(m.code), m.code)
            known.setdefault(_squash(m.name), m.code)
    words = re.findall(r"[\w-]+", text or "")
    for size in (3, 2, 1):  # longest first: "next business day" before "day"
        for i in range(len(words) - size + 1):
            phrase = " ".join(words[i:i + size])
            if _squash(phrase) in known:
                return phrase
    return None


def amount_in(text: Optional[str]) -> Optional[int]:
    """A cart value in cents ("$63", "48.50 dollars"), or None."""
    match = _AMOUNT.search(text or "")
    if not match:
        return None
    number = (match.group(1) or match.group(2)).replace(",", ".")
    return round(float(number) * 100)


def place_in(text: Optional[str], policy: ShippingPolicy) -> Optional[Place]:
    """The place the text names (shipped to or not), an unknown named place, or None if none."""
    place = resolve_location(text or "", policy)
    if place.kind is not PlaceKind.UNKNOWN:
        return place
    named = _NAMED_PLACE.search(text or "")
    if named:
        return Place(named.group(1), PlaceKind.UNKNOWN)
    return None
