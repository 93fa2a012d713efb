"""Returns, exchanges and refund status: thin actions over bot.returns.service and bot.returns.refunds."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.flow import forget_flow
from actions.order_proof import OrderProofValidation, require_verified, verified_order
from bot.core import clock
from bot.handoff.policy import RETURN_INELIGIBLE
from bot.profile.shop_profile import current_profile
from bot.returns import messages
from bot.returns.eligibility import OrderEligibility
from bot.returns.reasons import reason_from_text
from bot.returns.refunds import refund_status_answer
from bot.returns.service import returnable_items, start_return
from bot.text.buttons import HUMAN_BUTTON, inform_button
from bot.text.choices import ALL, pick
from bot.text.matchers import return_resolution_from_text

logger = logging.getLogger(__name__)

class ActionReturnPolicy(Action):
    def name(self) -> Text:
        return "action_return_policy"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        buttons = [] if tracker.active_loop.get("name") else [messages.START_RETURN_BUTTON]
        dispatcher.utter_message(text=messages.return_policy_text(current_profile()), buttons=buttons)
        return []


class ValidateRefundStatusForm(OrderProofValidation):
    def name(self) -> Text:
        return "validate_refund_status_form"


class ActionRefundStatus(Action):
    def name(self) -> Text:
        return "action_refund_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number = require_verified(dispatcher, tracker)
        if number is None:
            return []
        try:
            answer = refund_status_answer(number, clock.now())
        except Exception:
            logger.exception("refund status failed for order %s", number)
            answer = None
        if answer is None:
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return []
        dispatcher.utter_message(text=answer.text, buttons=[HUMAN_BUTTON] if answer.offer_human else [])
        return []


def _returnable(tracker: Tracker) -> Optional[OrderEligibility]:
    """What of the verified order can be returned (None before the proof or for an unknown order)."""
    number = verified_order(tracker)
    return returnable_items(number, clock.now()) if number else None


class ValidateReturnForm(OrderProofValidation):
    """After the proof: which item, why, and refund or exchange; only while something is returnable."""

    def name(self) -> Text:
        return "validate_return_form"

    async def flow_slots(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Text]:
        check = _returnable(tracker)
        if check is None or not check.eligible:
            return []  # the final action explains why nothing can be returned
        return ["return_item", "return_reason", "return_resolution"]

    def validate_return_item(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        check = _returnable(tracker)
        options = {str(i.order_item_id): i.name for i in (check.eligible if check else [])}
        choice = pick(str(value), options, allow_all=len(options) > 1)
        if choice is None:
            dispatcher.utter_message(response="utter_pick_from_buttons")
        return {"return_item": choice}

    def validate_return_reason(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        reason = reason_from_text(str(value), current_profile().return_reasons)
        if reason is None:
            dispatcher.utter_message(response="utter_pick_from_buttons")
            return {"return_reason": None}
        detail = None if str(value).strip().lower() == reason.lower() else str(value).strip()[:500]
        return {"return_reason": reason, "return_reason_detail": detail}

    def validate_return_resolution(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        choice = return_resolution_from_text(str(value), messages.resolution_options(current_profile()),
                                             messages.EXCHANGE)
        if choice is None:
            dispatcher.utter_message(response="utter_pick_from_buttons")
        return {"return_resolution": choice}


class ActionAskReturnItem(Action):
    def name(self) -> Text:
        return "action_ask_return_item"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        profile = current_profile()
        check = _returnable(tracker)
        if check is None:
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return []
        buttons = [inform_button(messages.item_title(i, profile.currency), "return_item", i.order_item_id)
                   for i in check.eligible]
        if len(buttons) > 1:
            buttons.append(inform_button(messages.ALL_ITEMS, "return_item", ALL))
        dispatcher.utter_message(text=messages.returnable_items_text(check, profile) + "\n" + messages.WHICH_ITEM,
                                 buttons=buttons)
        return []


class ActionAskReturnReason(Action):
    def name(self) -> Text:
        return "action_ask_return_reason"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        reasons = current_profile().return_reasons
        buttons = [inform_button(messages.reason_title(r), "return_reason", r) for r in reasons]
        dispatcher.utter_message(text=messages.WHY_RETURN, buttons=buttons)
        return []


class ActionAskReturnResolution(Action):
    def name(self) -> Text:
        return "action_ask_return_resolution"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        preset = tracker.get_slot("return_resolution")
        buttons = [inform_button(title, "return_resolution", value)
                   for value, title in messages.resolution_options(current_profile()).items() if value != preset]
        dispatcher.utter_message(text=messages.REFUND_OR_EXCHANGE, buttons=buttons)
        return []


class ActionCreateReturn(Action):
    """Creates the return (or shows the existing one), or explains why nothing can be returned."""

    def name(self) -> Text:
        return "action_create_return"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number = require_verified(dispatcher, tracker)
        if number is None:
            return []
        profile, now = current_profile(), clock.now()
        reset = forget_flow()
        try:
            check = returnable_items(number, now, profile)
            item = tracker.get_slot("return_item")
            if check is None:
                dispatcher.utter_message(response="utter_lookup_unavailable")
                return reset
            if not item or not check.eligible:
                dispatcher.utter_message(text=messages.returnable_items_text(check, profile), buttons=[HUMAN_BUTTON])
                return reset + [SlotSet("last_outcome", RETURN_INELIGIBLE)]
            items = [i.order_item_id for i in check.eligible] if item == ALL else [int(item)]
            resolution, _, method = (tracker.get_slot("return_resolution") or "").partition(":")
            result = start_return(number, items, tracker.get_slot("return_reason") or "", resolution, now,
                                  reason_detail=tracker.get_slot("return_reason_detail"),
                                  refund_method=method or None, profile=profile)
        except Exception:
            logger.exception("creating a return failed for order %s", number)
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return reset
        buttons = [] if result.ok else [HUMAN_BUTTON]
        dispatcher.utter_message(text=messages.return_confirmation_text(result, profile, now), buttons=buttons)
        return reset
