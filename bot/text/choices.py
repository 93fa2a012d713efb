"""Matching what a customer typed to one of the options the bot offered as buttons."""
from __future__ import annotations

import re
from typing import Mapping, Optional

ALL = "all"
_ALL_WORDS = {"all", "both", "everything", "all of them", "all items", "the whole order", "all of it"}
_STOP = {"the", "a", "an", "my", "i", "it", "its", "one", "want", "to", "return", "please", "is",
         "was", "of", "for", "and", "that", "this", "with", "item", "order"}


def _words(text: str) -> set:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP}


def pick(text: Optional[str], options: Mapping[str, str], allow_all: bool = False) -> Optional[str]:
    """The key of the option `text` names, or None if it names none or several.

    `options` maps a key (e.g. an order item id) to its label (e.g. a product name). Accepts
    the key itself, the option's position ("2", "the second"), or words of its label
    ("the scarf"); with `allow_all`, "all" / "both" / "everything" gives ALL.
    """
    said = " ".join((text or "").lower().split()).strip(" .!?")
    if not said:
        return None
    keys = list(options)
    if said in (k.lower() for k in keys):
        return next(k for k in keys if k.lower() == said)
    if allow_all and said in _ALL_WORDS:
        return ALL
    ordinals = {"1": 0, "first": 0, "2": 1, "second": 1, "3": 2, "third": 2, "4": 3, "fourth": 3}
    position = ordinals.get(said.replace("the ", "").replace(" one", ""))
    if position is not None and position < len(keys):
        return keys[position]
    wanted = _words(said)
    if not wanted:
        return None
    scores = {k: len(wanted & _words(label)) for k, label in options.items()}
    best = max(scores.values(), default=0)
    winners = [k for k, s in scores.items() if s == best]
    return winners[0] if best > 0 and len(winners) == 1 else None
