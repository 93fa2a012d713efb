"""Buttons the bot offers: the title a customer reads and the message the press sends (an intent,
with slot values for `inform`), plus the buttons every flow shares."""
from __future__ import annotations

from typing import Dict, List

Button = Dict[str, str]


def intent_button(title: str, intent: str, **values: object) -> Button:
    """A button sending `intent`, with the entity values given ('/order_status{"order_number":"1"}')."""
    given = ",".join(f'"{name}":"{value}"' for name, value in values.items())
    return {"title": title, "payload": f"/{intent}" + (f"{{{given}}}" if given else "")}


def inform_button(title: str, slot: str, value: object) -> Button:
    """A button answering the question for `slot` with `value`."""
    return intent_button(title, "inform", **{slot: value})


HUMAN_TITLE = "Talk to a person"
TRACK_TITLE = "Track my order"
#: Hands the conversation to a person (actions/handoff.py).
HUMAN_BUTTON = intent_button(HUMAN_TITLE, "human_handoff")
#: Asks about an order the customer already placed (its status and estimated delivery).
TRACK_BUTTON = intent_button(TRACK_TITLE, "order_status")
YES_NO: List[Button] = [intent_button("Yes", "affirm"), intent_button("No", "deny")]
