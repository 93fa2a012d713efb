"""Running the assistant's actions in tests with real rasa-sdk Trackers and dispatchers."""
from __future__ import annotations

import inspect
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[2]
BASE_SLOTS = {"order_number": None, "owner_proof": None, "failed_checks": 0.0,
              "verified_customer_id": None, "verified_orders": [], "requested_slot": None,
              "failed_orders": [], "proof_refused": False, "email_verified_orders": []}


@lru_cache(maxsize=1)
def assistant_domain() -> Dict[str, Any]:
    """The domain (domain.yml), as the action server receives it."""
    import warnings

    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Domain.load(str(ROOT / "domain.yml")).as_dict()


def make_tracker(
    slots: Dict[str, Any],
    new: Optional[Dict[str, Any]] = None,
    *,
    form: Optional[str] = "order_status_form",
    intent: str = "inform",
    text: str = "…",
    entities: Optional[List[Dict[str, Any]]] = None,
    latest_action: str = "action_listen",
    metadata: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker whose current slots are `slots`, with `new` just extracted from the last message
    (which carried `metadata` from the channel, e.g. the widget's customData)."""
    new = new or {}
    message = {"intent": {"name": intent, "confidence": 1.0}, "entities": entities or [], "text": text}
    if metadata is not None:
        message["metadata"] = metadata
    events: List[Dict[str, Any]] = [{"event": "user", "text": text, "parse_data": message,
                                     **({"metadata": metadata} if metadata is not None else {})}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in new.items()]
    return Tracker(
        "test-user", {**BASE_SLOTS, **slots, **new}, message, events, False, None,
        {"name": form} if form else {}, latest_action,
    )


async def run(action, tracker: Tracker) -> Tuple[Dict[str, Any], List[Dict[str, Any]], List[Dict[str, Any]]]:
    """Runs an action: (slots it set, messages it sent, all its events)."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, assistant_domain())
    if inspect.isawaitable(events):
        events = await events
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return slots, dispatcher.messages, events


def said(messages: List[Dict[str, Any]]) -> List[str]:
    """What the bot said: response names for templates, text otherwise."""
    return [m.get("response") or m.get("text") for m in messages]
