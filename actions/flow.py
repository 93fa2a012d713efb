"""Starting, leaving and re-asking inside the order flows (returns, claims, cancellations, ...)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.order_proof import verified_orders
from bot.orders.messages import order_title
from bot.text.buttons import inform_button

#: The answers a flow collects; they are forgotten when a flow starts or stops, so one
#: flow's answers never leak into the next. Verification (verified_orders) is kept.
FLOW_SLOTS = [
    "return_item", "return_reason", "return_reason_detail", "return_resolution",
    "claim_kind", "claim_item", "claim_description", "claim_resolution",
    "claim_number", "claim_offered", "claim_message",
    "cancel_confirmed", "new_address", "address_confirmed",
]

def forget_flow() -> List[EventType]:
    """Events that clear the flow's answers (verification is kept)."""
    return [SlotSet(slot, None) for slot in FLOW_SLOTS]


#: Intents that start a flow with a preset answer.
PRESETS: Dict[str, Dict[str, Any]] = {
    "exchange_request": {"return_resolution": "exchange"},
    "damaged_item": {"claim_kind": "damaged_item"},
    "wrong_item": {"claim_kind": "wrong_item"},
    "missing_package": {"claim_kind": "missing_package"},
}


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    return next(tracker.get_latest_entity_values(name), None)


class ActionStartFlow(Action):
    """Clears the previous flow's answers; keeps an order number or proof given just now."""

    def name(self) -> Text:
        return "action_start_flow"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        preset = PRESETS.get(intent or "", {})
        events = [SlotSet(slot, preset.get(slot)) for slot in FLOW_SLOTS]
        events.append(SlotSet("last_outcome", None))
        events.append(SlotSet("order_number", _entity(tracker, "order_number")))
        events.append(SlotSet("owner_proof", _entity(tracker, "email") or _entity(tracker, "zip_code")))
        return events


class ActionStopFlow(Action):
    """The customer left a flow: say so and forget its answers (nothing was created)."""

    def name(self) -> Text:
        return "action_stop_flow"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_flow_stopped")
        return forget_flow()


class ActionAskOrderNumber(Action):
    """Asks for the order number; a customer who already verified orders gets them as buttons."""

    def name(self) -> Text:
        return "action_ask_order_number"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        known = verified_orders(tracker)
        if not known:
            dispatcher.utter_message(response="utter_ask_order_number")
            return []
        buttons = [inform_button(order_title(n), "order_number", n) for n in known[:6]]
        dispatcher.utter_message(response="utter_ask_which_order", buttons=buttons)
        return []
