"""Order-status actions: the form's validation, the answer, and the customer's other orders."""
from __future__ import annotations

import logging
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.order_proof import OrderProofValidation, require_verified, verified_orders
from bot.core import clock
from bot.orders import status as order_status
from bot.orders.messages import order_choice_title
from bot.text.buttons import HUMAN_BUTTON, intent_button

logger = logging.getLogger(__name__)

class ValidateOrderStatusForm(OrderProofValidation):
    """Collects an order number and a proof of ownership, and checks them together."""

    def name(self) -> Text:
        return "validate_order_status_form"


class ActionOrderStatus(Action):
    """Answers 'where is my order?' for a verified order, from the database."""

    def name(self) -> Text:
        return "action_order_status"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        number = require_verified(dispatcher, tracker)
        if number is not None:
            tell_order_status(dispatcher, number)
        return []


def tell_order_status(dispatcher: CollectingDispatcher, number: str) -> None:
    """The status of a verified order from the database, a person offered when it is late."""
    try:
        answer = order_status.order_status_answer(number, clock.now())
    except Exception:
        logger.exception("order status lookup failed for order %s", number)
        dispatcher.utter_message(response="utter_lookup_unavailable")
        return
    if answer is None:  # verified but gone since: deleted or re-imported data
        dispatcher.utter_message(response="utter_lookup_unavailable")
        return
    dispatcher.utter_message(text=answer.text, buttons=[HUMAN_BUTTON] if answer.late else [])


class ActionListOtherOrders(Action):
    """Lists a verified customer's orders so they can pick one; never for an unverified one."""

    def name(self) -> Text:
        return "action_list_other_orders"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        customer_id: Optional[str] = tracker.get_slot("verified_customer_id")
        if not customer_id:
            dispatcher.utter_message(response="utter_verify_first")
            return []
        try:
            orders = order_status.customer_orders(int(customer_id))
        except Exception:
            logger.exception("listing orders failed for customer %s", customer_id)
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return []
        now, tz = clock.now(), order_status.shop_timezone()
        buttons = [intent_button(order_choice_title(o, now, tz), "order_status", order_number=o.number)
                   for o in orders]
        dispatcher.utter_message(response="utter_pick_order", buttons=buttons)
        known = verified_orders(tracker)
        return [SlotSet("verified_orders", known + [o.number for o in orders if o.number not in known])]
