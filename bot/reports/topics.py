"""What customers came about: the topic of each request intent, for the volume by topic.

A session counts once for every topic it touched (an order status and a return: both); the
intents that carry no topic of their own (greetings, yes and no, a typed order number...) do not
count."""
from __future__ import annotations

from typing import Dict

#: intent -> the topic's name on the Reports page (the intents of domain.yml that are requests).
TOPICS: Dict[str, str] = {
    "order_status": "Order status",
    "other_orders": "Other orders",
    "return_request": "Returns",
    "exchange_request": "Exchanges",
    "return_policy": "Return policy",
    "refund_status": "Refund status",
    "damaged_item": "Damaged item",
    "wrong_item": "Wrong item",
    "missing_package": "Missing parcel",
    "shipping_options": "Shipping options",
    "delivery_estimate": "Delivery estimate",
    "cancel_order": "Cancellation",
    "change_address": "Address change",
    "complaint": "Complaint",
    "human_handoff": "Asked for a person",
    "faq": "Shop questions (FAQ)",
    "out_of_scope": "Off-topic",
}


def intent_pattern(intent: str) -> str:
    """A LIKE pattern (escape character backslash) matching the intent in an outcome row's
    `intents` (a JSON list of names)."""
    return '%"' + intent.replace("_", "\\_") + '"%'
