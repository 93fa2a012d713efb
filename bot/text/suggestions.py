"""'Did you mean …?' suggestions from the NLU's ranking, as buttons a customer can press."""
from __future__ import annotations

from typing import Dict, Iterable, List, Mapping, Optional, Sequence

from bot.text.buttons import HUMAN_TITLE, TRACK_TITLE, intent_button

#: Intents worth suggesting, with the button title a customer understands. Every shop request
#: is here, so a guess between, say, the refund policy and a refund's status can be offered as
#: both; greetings, yes/no and `inform` are not (pressing them would mean nothing).
INTENT_TITLES: Dict[str, str] = {
    "order_status": TRACK_TITLE,
    "delivery_estimate": "When will my order arrive?",
    "other_orders": "See my other orders",
    "missing_package": "My parcel hasn't arrived",
    "return_request": "Return an item",
    "exchange_request": "Exchange an item",
    "return_policy": "Return and refund policy",
    "refund_status": "Where is my refund?",
    "damaged_item": "My item arrived damaged",
    "wrong_item": "I got the wrong item",
    "shipping_options": "Shipping options and costs",
    "cancel_order": "Cancel an order",
    "change_address": "Change my delivery address",
    "complaint": "Make a complaint",
    "help": "What can you do?",
    "human_handoff": HUMAN_TITLE,
    "bot_challenge": "Am I talking to a bot?",
}
# Rasa's two-stage fallback reads out_of_scope as "none of these": it then asks to rephrase.
SOMETHING_ELSE = intent_button("Something else", "out_of_scope")


def faq_title(topic: str) -> str:
    return topic.replace("_", " ").capitalize()


def suggestion_buttons(
    intent_ranking: Sequence[Mapping],
    faq_ranking: Sequence[Mapping] = (),
    faq_questions: Optional[Mapping[str, str]] = None,
    limit: int = 3,
    min_confidence: float = 0.05,
) -> List[Dict[str, str]]:
    """Up to `limit` buttons for the likeliest meanings, then 'Something else'.

    An FAQ suggestion sends the topic's first question as text, so pressing it is understood
    like typing it; an intent suggestion sends the intent directly.
    """
    faq_questions = faq_questions or {}
    buttons: List[Dict[str, str]] = []
    for entry in _candidates(intent_ranking, faq_ranking, min_confidence):
        if entry.startswith("faq/"):
            topic = entry.split("/", 1)[1]
            if topic in faq_questions:
                buttons.append({"title": faq_title(topic), "payload": faq_questions[topic]})
        elif entry in INTENT_TITLES:
            buttons.append(intent_button(INTENT_TITLES[entry], entry))
        if len(buttons) == limit:
            break
    return buttons + [SOMETHING_ELSE]


def _candidates(intent_ranking: Sequence[Mapping], faq_ranking: Sequence[Mapping],
                min_confidence: float) -> Iterable[str]:
    """Intent names by confidence; the 'faq' intent expands into its ranked topics."""
    for intent in intent_ranking:
        name, confidence = intent.get("name"), intent.get("confidence") or 0.0
        if not name or name == "nlu_fallback" or confidence < min_confidence:
            continue
        if name == "faq":
            for faq in faq_ranking:
                key = faq.get("intent_response_key")
                if key and (faq.get("confidence") or 0.0) >= min_confidence:
                    yield key
        else:
            yield name
