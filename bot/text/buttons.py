"""Buttons the bot offers: the title a customer reads and the message the press sends (an intent,
with slot values for `inform`), plus the buttons every flow shares."""
from __future__ import annotations

from typing import Dict, List

Button = Dict[str, str]


def intent_button(title: str, intent: str) -> Button:
    return {"title": title, "payload": f"/{intent}"}


def inform_button(title: str, slot: str, value: object) -> Button:
    """A button answering the question for `slot` with `value`."""
    return {"title": title, "payload": f'/inform{{"{slot}":"{value}"}}'}


#: Hands the conversation to a person (actions/handoff.py).
HUMAN_BUTTON = intent_button("Talk to a person", "human_handoff")
YES_NO: List[Button] = [intent_button("Yes", "affirm"), intent_button("No", "deny")]
