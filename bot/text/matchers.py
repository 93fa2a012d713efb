"""Reading which offered option a customer means when they type instead of pressing a button:
the remedy for a claim, and refund or exchange for a return."""
from __future__ import annotations

from typing import Iterable, Mapping, Optional

#: Words that name a claim remedy.
_CLAIM_WORDS = {"refund": ("refund", "money"), "replacement": ("replace", "new one", "another one"),
                "reship": ("reship", "resend", "send it again", "new parcel", "send another")}


def claim_resolution_from_text(text: str, offered: Iterable[str]) -> Optional[str]:
    """The one offered remedy the text names, else None."""
    offered = list(offered)
    lowered = text.strip().lower()
    if lowered in offered:
        return lowered
    hits = [o for o in offered if any(w in lowered for w in _CLAIM_WORDS.get(o, ()))]
    return hits[0] if len(hits) == 1 else None


def return_resolution_from_text(text: str, options: Mapping[str, str], exchange: str) -> Optional[str]:
    """The option ('refund:<method>' or `exchange`) of `options` that the text asks for, else None."""
    lowered = text.lower()
    if lowered in options:
        return lowered
    if exchange in options and any(w in lowered for w in ("exchange", "swap", "different size", "replace")):
        return exchange
    for value in options:
        method = value.partition(":")[2].lower()
        if method and method in lowered:
            return value
    if any(w in lowered for w in ("credit", "voucher")):
        return next((v for v in options if "credit" in v), None)
    if any(w in lowered for w in ("refund", "money back", "my money", "reimburse")):
        return next((v for v in options if v.startswith("refund:")), None)
    return None
