"""What customers came about: the topic of each request intent, for the volume by topic.

A session counts once for every topic it touched (an order status and a return: both); the
intents that carry no topic of their own (greetings, yes and no, a typed order number...) do not
count."""
from __future__ import annotations

import json
from typing import Dict, Iterable, List

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


def topics_of(intents: Iterable[str]) -> List[str]:
    """The session's topics, in the order first asked."""
    return list(dict.fromkeys(i for i in intents if i in TOPICS))


def count_topics(stored_intents: Iterable[str]) -> Dict[str, int]:
    """Sessions per topic, most first, from the outcome rows' `intents` (JSON lists)."""
    counts: Dict[str, int] = {}
    for stored in stored_intents:
        try:
            intents = json.loads(stored or "[]")
        except ValueError:
            continue
        for topic in topics_of(intents if isinstance(intents, list) else []):
            counts[topic] = counts.get(topic, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
