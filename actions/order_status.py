"""Order-status actions: the form's validation, the answer, and the customer's other orders."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot import clock, order_status
from bot.order_lookup import normalize_order_number, normalize_proof
from bot.order_messages import order_choice_title

logger = logging.getLogger(__name__)

Slots = Dict[Text, Any]


def _verified_orders(tracker: Tracker) -> List[str]:
    return list(tracker.get_slot("verified_orders") or [])


def _failed_checks(tracker: Tracker) -> int:
    return int(tracker.get_slot("failed_checks") or 0)


def _locked(tracker: Tracker) -> bool:
    return _failed_checks(tracker) >= order_status.MAX_FAILED_CHECKS


class ValidateOrderStatusForm(FormValidationAction):
    """Collects an order number and a proof of ownership, and checks them together."""

    def name(self) -> Text:
        return "validate_order_status_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        if _locked(tracker):
            return []  # stop asking: the answer action offers a person instead
        if tracker.get_slot("order_number") in _verified_orders(tracker):
            return ["order_number"]  # already proved in this conversation
        return domain_slots

    def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        number = normalize_order_number(value)
        if number is None:
            dispatcher.utter_message(response="utter_invalid_order_number")
        return {"order_number": number}

    def validate_owner_proof(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        proof = normalize_proof(value)
        if proof is None:
            dispatcher.utter_message(response="utter_invalid_owner_proof")
            return {"owner_proof": None}
        return {"owner_proof": proof.value}

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        changed = {e["name"] for e in events}
        number = tracker.get_slot("order_number")
        proof = tracker.get_slot("owner_proof")
        if (
            _locked(tracker)
            or not number
            or not proof
            or number in _verified_orders(tracker)
            or not changed & {"order_number", "owner_proof"}
        ):
            return events
        return events + self._check(number, proof, dispatcher, tracker)

    def _check(
        self, number: str, proof: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        try:
            check = order_status.check_ownership(number, proof)
        except Exception:  # the customer gets a kind sentence, the log gets the details
            logger.exception("ownership check failed for order %s", number)
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return [SlotSet("order_number", None), SlotSet("owner_proof", None)]
        if check.verified:
            known = _verified_orders(tracker)
            merged = known + [n for n in check.customer_orders if n not in known]
            return [
                SlotSet("verified_customer_id", str(check.customer_id)),
                SlotSet("verified_orders", merged),
            ]
        failed = _failed_checks(tracker) + 1
        if failed < order_status.MAX_FAILED_CHECKS:
            dispatcher.utter_message(response="utter_verification_failed")
        return [
            SlotSet("failed_checks", float(failed)),
            SlotSet("order_number", None),
            SlotSet("owner_proof", None),
        ]


class ActionOrderStatus(Action):
    """Answers 'where is my order?' for a verified order, from the database."""

    def name(self) -> Text:
        return "action_order_status"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        number = tracker.get_slot("order_number")
        if not number or number not in _verified_orders(tracker):
            # The form only ends unverified when the bot stopped checking.
            dispatcher.utter_message(response="utter_verification_locked")
            return []
        try:
            answer = order_status.order_status_answer(number, clock.now())
        except Exception:
            logger.exception("order status lookup failed for order %s", number)
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return []
        if answer is None:  # verified but gone since: deleted or re-imported data
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return []
        buttons = [{"title": "Talk to a person", "payload": "/human_handoff"}] if answer.late else []
        dispatcher.utter_message(text=answer.text, buttons=buttons)
        return []


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
        now = clock.now()
        buttons = [
            {
                "title": order_choice_title(o, now),
                "payload": f'/order_status{{"order_number":"{o.number}"}}',
            }
            for o in orders
        ]
        dispatcher.utter_message(response="utter_pick_order", buttons=buttons)
        known = _verified_orders(tracker)
        return [SlotSet("verified_orders", known + [o.number for o in orders if o.number not in known])]
