"""The scripted conversations the load generator holds: what customers of a shop ask most.

Only read-only paths (order status, FAQ, shipping, small talk), so the shop database stays
the same however long the test runs. Each turn may name a piece of text the reply must
contain; a reply without it counts as a wrong answer, which shows a bot that only seems fast
because it answers badly under load.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple


@dataclass(frozen=True)
class Turn:
    text: str
    expect: Optional[str] = None  # a substring of the joined reply texts, compared lowercased


@dataclass(frozen=True)
class Conversation:
    name: str
    turns: Tuple[Turn, ...]


def _conversation(name: str, *turns: Tuple[str, Optional[str]]) -> Conversation:
    return Conversation(name, tuple(Turn(text, expect) for text, expect in turns))


#: Reference orders of the demo shop (bot/shopdata/reference_orders.py), with the proof they need.
CONVERSATIONS: List[Conversation] = [
    _conversation(
        "order status in one message",
        ("hi", None),
        ("track order 100001, email maria.gonzalez@example.com", "order #100001 is on its way"),
        ("thanks!", "you're welcome"),
    ),
    _conversation(
        "order status step by step",
        ("where is my order?", "order number"),
        ("it's #100003", "email address or billing zip"),
        ("60614", "order #100003 has been delivered"),
        ("thank you", "you're welcome"),
    ),
    _conversation(
        "late parcel",
        ("hello", None),
        ("where is order 100005", "email address or billing zip"),
        ("98101", "running late"),
    ),
    _conversation(
        "shipping questions",
        ("what shipping options do you have? my cart is $63", "next-day"),
        ("do you ship to Canada?", None),
        ("if I order now with next-day, when will it arrive?", None),
    ),
    _conversation(
        "frequently asked questions",
        ("do you accept paypal?", None),
        ("what are your customer service hours?", None),
        ("what is your return policy?", None),
        ("are you a bot?", None),
        ("bye", None),
    ),
    _conversation(
        "order status with ZIP and other orders",
        ("track order 100006 zip 94107", "order #100006"),
        ("and my other orders?", None),
        ("thanks", "you're welcome"),
    ),
]


def message_count() -> int:
    return sum(len(c.turns) for c in CONVERSATIONS)
