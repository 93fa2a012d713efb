"""Damaged or wrong items and missing parcels: thin actions over bot.claims.service."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.flow import forget_flow
from actions.order_proof import OrderProofValidation, require_verified, verified_order
from bot.alerts.service import Source
from bot.claims import messages
from bot.claims import service as claims
from bot.claims.missing_package import MissingPackage
from bot.core import clock
from bot.handoff.policy import LOST_PARCEL
from bot.returns.service import returnable_items
from bot.text.buttons import inform_button
from bot.text.choices import pick
from bot.text.matchers import claim_resolution_from_text

logger = logging.getLogger(__name__)

def _delivered_items(number: Optional[str]) -> Dict[str, str]:
    """The delivered items of the verified order (none before the proof)."""
    check = returnable_items(number, clock.now()) if number else None
    return {str(i.order_item_id): i.name for i in (check.items if check and check.delivered_on else [])}


def alert_source(tracker: Tracker) -> Source:
    """The conversation an alert about this customer's report points to."""
    return Source(tracker.sender_id, tracker.get_latest_input_channel())


def _missing_package(tracker: Tracker, told: bool = False) -> Optional[MissingPackage]:
    """Where the verified order's parcel stands (None before the proof or for an unknown order).
    `told`: the customer is told now, so a late or lost parcel raises an alert."""
    number = verified_order(tracker)
    if not number:
        return None
    return claims.missing_package_answer(number, clock.now(), reported_by=alert_source(tracker) if told else None)


class ValidateClaimForm(OrderProofValidation):
    """After the proof: which item, what is wrong (the claim is recorded), then the remedy."""

    def name(self) -> Text:
        return "validate_claim_form"

    async def flow_slots(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Text]:
        if not _delivered_items(verified_order(tracker)):
            return []  # not delivered: the final action says so
        slots = ["claim_item", "claim_description"]
        if tracker.get_slot("claim_number") is None or tracker.get_slot("claim_offered"):
            slots.append("claim_resolution")
        return slots

    def validate_claim_item(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        choice = pick(str(value), _delivered_items(verified_order(tracker)))
        if choice is None:
            dispatcher.utter_message(response="utter_pick_from_buttons")
        return {"claim_item": choice}

    def validate_claim_description(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        number, item = verified_order(tracker), tracker.get_slot("claim_item")
        kind = tracker.get_slot("claim_kind") or "damaged_item"
        if number is None:  # asked only after the proof
            dispatcher.utter_message(text=messages.ORDER_NOT_FOUND)
            return {"claim_description": None}
        try:
            result = claims.report_item_problem(number, int(item), kind, str(value), clock.now())
        except Exception:
            logger.exception("recording a claim failed for order %s", number)
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return {"claim_description": None}
        if not result.ok:
            dispatcher.utter_message(text=result.message)
            return {"claim_description": None}
        offered = [o for o in result.offered if o != "human"]
        return {"claim_description": str(value), "claim_number": result.claim_number,
                "claim_offered": offered, "claim_message": result.message}

    def validate_claim_resolution(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        choice = claim_resolution_from_text(str(value), tracker.get_slot("claim_offered") or [])
        if choice is None:
            dispatcher.utter_message(response="utter_pick_from_buttons")
        return {"claim_resolution": choice}


class ActionAskClaimItem(Action):
    def name(self) -> Text:
        return "action_ask_claim_item"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        items = _delivered_items(verified_order(tracker))
        buttons = [inform_button(name, "claim_item", key) for key, name in items.items()]
        dispatcher.utter_message(text=messages.WHICH_ITEM, buttons=buttons)
        return []


class ActionAskClaimResolution(Action):
    """Says what was recorded (claim or parcel facts) and offers the policy's remedies."""

    def name(self) -> Text:
        return "action_ask_claim_resolution"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.active_loop.get("name") == "missing_package_form":
            answer = _missing_package(tracker, told=True)
            text, offered = (answer.text, answer.offered) if answer else ("", ())
            dispatcher.utter_message(text=text, buttons=messages.resolution_buttons(offered))
            return [SlotSet("claim_offered", [o for o in offered if o != "human"])]
        remedies = list(tracker.get_slot("claim_offered") or []) + ["human"]
        dispatcher.utter_message(text=tracker.get_slot("claim_message") or messages.WHAT_NEXT,
                                 buttons=messages.resolution_buttons(remedies))
        return []


class ActionRecordClaim(Action):
    """Records the remedy the customer picked for an item claim, or repeats the existing claim."""

    def name(self) -> Text:
        return "action_record_claim"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number = require_verified(dispatcher, tracker)
        reset = forget_flow()
        if number is None:
            return reset
        claim, choice = tracker.get_slot("claim_number"), tracker.get_slot("claim_resolution")
        if not _delivered_items(number):
            dispatcher.utter_message(text=messages.nothing_to_report_text(number),
                                     buttons=messages.resolution_buttons(["human"]))
            return reset
        if claim and choice:
            try:
                result = claims.choose_claim_resolution(number, claim, choice, clock.now())
                dispatcher.utter_message(text=result.message)
            except Exception:
                logger.exception("recording a claim choice failed for order %s", number)
                dispatcher.utter_message(response="utter_lookup_unavailable")
        elif tracker.get_slot("claim_message"):
            dispatcher.utter_message(text=tracker.get_slot("claim_message"))
        return reset


class ValidateMissingPackageForm(OrderProofValidation):
    """After the proof: a remedy is asked for only when the parcel counts as lost."""

    def name(self) -> Text:
        return "validate_missing_package_form"

    async def flow_slots(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Text]:
        answer = _missing_package(tracker)
        if answer is None or not answer.claimable or answer.existing_claim or not answer.offered:
            return []
        return ["claim_resolution"]

    def validate_claim_resolution(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        answer = _missing_package(tracker)
        choice = claim_resolution_from_text(str(value), [o for o in (answer.offered if answer else ()) if o != "human"])
        if choice is None:
            dispatcher.utter_message(response="utter_pick_from_buttons")
        return {"claim_resolution": choice}


class ActionMissingPackage(Action):
    """Records the reship or refund the customer picked, or explains where the parcel stands."""

    def name(self) -> Text:
        return "action_missing_package"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number = require_verified(dispatcher, tracker)
        reset = forget_flow()
        if number is None:
            return reset
        now, choice = clock.now(), tracker.get_slot("claim_resolution")
        try:
            if choice:
                result = claims.report_missing_package(number, choice, now)
                dispatcher.utter_message(text=result.message)
                reset.append(SlotSet("last_outcome", LOST_PARCEL))
            else:
                answer = claims.missing_package_answer(number, now, reported_by=alert_source(tracker))
                if answer is None:
                    dispatcher.utter_message(response="utter_lookup_unavailable")
                else:
                    dispatcher.utter_message(text=answer.text, buttons=messages.resolution_buttons(answer.offered))
                    if answer.claimable or answer.existing_claim:
                        reset.append(SlotSet("last_outcome", LOST_PARCEL))
        except Exception:
            logger.exception("missing-package answer failed for order %s", number)
            dispatcher.utter_message(response="utter_lookup_unavailable")
        return reset
