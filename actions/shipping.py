"""Shipping questions, cancellations and address changes: thin actions over bot/ shipping modules."""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.flow import forget_flow
from actions.order_proof import OrderProofValidation, require_verified, verified_order
from actions.order_status import tell_order_status
from bot.core import clock
from bot.orders import changes
from bot.orders.change_messages import (
    CANCEL_BUTTONS,
    address_declined_text,
    cancel_declined_text,
    render_address_change,
    render_address_confirmation,
    render_cancel,
    render_cancel_confirmation,
)
from bot.orders.changes import ChangeOutcome, ChangeResult
from bot.profile.shop_profile import current_profile
from bot.returns.messages import START_RETURN_BUTTON
from bot.shipping.addresses import check_address, parse_address, render_problems
from bot.shipping.locations import Place
from bot.shipping.messages import render_estimate, render_options
from bot.shipping.query import amount_in, method_in, place_in
from bot.text.buttons import HUMAN_BUTTON, TRACK_BUTTON, YES_NO

logger = logging.getLogger(__name__)

def _place(tracker: Tracker) -> Optional[Place]:
    """The place in this message, else the one from earlier in the conversation."""
    policy = current_profile().shipping
    place = place_in(tracker.latest_message.get("text"), policy)
    if place is None and tracker.get_slot("location"):
        place = place_in(tracker.get_slot("location"), policy)
    return place


def _remember(place: Optional[Place], amount: Optional[int]) -> List[EventType]:
    events = [SlotSet("location", place.text)] if place is not None else []
    if amount is not None:
        events.append(SlotSet("amount", str(amount)))
    return events


class ActionShippingOptions(Action):
    def name(self) -> Text:
        return "action_shipping_options"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        place = _place(tracker)
        amount = amount_in(tracker.latest_message.get("text"))
        if amount is None and tracker.get_slot("amount"):
            amount = int(tracker.get_slot("amount"))
        dispatcher.utter_message(text=render_options(current_profile(), clock.now(), place, amount))
        return _remember(place, amount)


class ActionDeliveryEstimate(Action):
    def name(self) -> Text:
        return "action_delivery_estimate"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        profile = current_profile()
        text = tracker.latest_message.get("text")
        named = method_in(text, profile.shipping)
        number = verified_order(tracker)
        if number and named is None and place_in(text, profile.shipping) is None:
            # "and when will it arrive?" after a verified order: that order, not a new one.
            tell_order_status(dispatcher, number)
            return []
        place = _place(tracker)
        method = named or tracker.get_slot("shipping_method")
        # Without a verified order, "when will my item arrive?" may be about one already placed.
        buttons = [] if number else [TRACK_BUTTON]
        dispatcher.utter_message(text=render_estimate(profile, clock.now(), method, place), buttons=buttons)
        events = _remember(place, None)
        if method:
            events.append(SlotSet("shipping_method", method))
        return events


class ValidateCancelOrderForm(OrderProofValidation):
    """After the proof: a yes/no confirmation, asked only while the order can be cancelled."""

    for_change = True

    def name(self) -> Text:
        return "validate_cancel_order_form"

    async def flow_slots(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Text]:
        number = verified_order(tracker, for_change=True)
        allowed = number is not None and changes.may_change(number).outcome is ChangeOutcome.ALLOWED
        return ["cancel_confirmed"] if allowed else []


class ActionAskCancelConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_cancel_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number = require_verified(dispatcher, tracker, for_change=True)  # asked only after the proof
        if number is None:
            return []
        text = render_cancel_confirmation(changes.may_change(number), clock.now(), current_profile())
        dispatcher.utter_message(text=text, buttons=CANCEL_BUTTONS)
        return []


class _OrderChangeAction(Action, ABC):
    """After a change form: on yes make the change, on no keep the order, else say why not."""

    confirm_slot: Text = ""

    @abstractmethod
    def declined(self, number: str) -> str:
        ...

    @abstractmethod
    def change(self, number: str, tracker: Tracker) -> ChangeResult:
        ...

    @abstractmethod
    def reply(self, result: ChangeResult) -> tuple:
        """(text, buttons) for the outcome."""
        ...

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number = require_verified(dispatcher, tracker, for_change=True)
        reset = forget_flow()
        if number is None:
            return reset
        confirmed = tracker.get_slot(self.confirm_slot)
        if confirmed is False:
            dispatcher.utter_message(text=self.declined(number))
            return reset
        try:
            result = self.change(number, tracker) if confirmed else changes.may_change(number)
        except Exception:
            logger.exception("%s failed for order %s", self.name(), number)
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return reset
        text, buttons = self.reply(result)
        dispatcher.utter_message(text=text, buttons=buttons)
        return reset


class ActionCancelOrder(_OrderChangeAction):
    """Cancels after a yes; otherwise says why not (shipped: the return path instead)."""

    confirm_slot = "cancel_confirmed"

    def name(self) -> Text:
        return "action_cancel_order"

    def declined(self, number: str) -> str:
        return cancel_declined_text(number)

    def change(self, number: str, tracker: Tracker) -> ChangeResult:
        return changes.cancel(number, clock.now())

    def reply(self, result: ChangeResult) -> tuple:
        buttons = [START_RETURN_BUTTON, HUMAN_BUTTON] if result.outcome is ChangeOutcome.ALREADY_SHIPPED else []
        return render_cancel(result, clock.now(), current_profile()), buttons


def _checked_address(text: Any):
    profile = current_profile()
    return check_address(parse_address(text, profile.shipping.domestic.countries[0]), profile.shipping)


class ValidateChangeAddressForm(OrderProofValidation):
    """After the proof: the new address (checked), then a yes/no; only before shipment."""

    for_change = True

    def name(self) -> Text:
        return "validate_change_address_form"

    async def flow_slots(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Text]:
        number = verified_order(tracker, for_change=True)
        allowed = number is not None and changes.may_change(number).outcome is ChangeOutcome.ALLOWED
        return ["new_address", "address_confirmed"] if allowed else []

    def validate_new_address(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        check = _checked_address(value)
        if check.problems or check.address is None:
            dispatcher.utter_message(text=render_problems(check))
            return {"new_address": None}
        return {"new_address": str(value).strip()}


class ActionAskAddressConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_address_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        address = _checked_address(tracker.get_slot("new_address")).address
        number = require_verified(dispatcher, tracker, for_change=True)  # asked only after the proof
        if number is None:
            return []
        if address is None:  # the form asks only after a checked address
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return []
        text = render_address_confirmation(number, address, current_profile())
        dispatcher.utter_message(text=text, buttons=YES_NO)
        return []


class ActionChangeAddress(_OrderChangeAction):
    """Changes the address after a yes; otherwise says why not and offers a person."""

    confirm_slot = "address_confirmed"

    def name(self) -> Text:
        return "action_change_address"

    def declined(self, number: str) -> str:
        return address_declined_text(number)

    def change(self, number: str, tracker: Tracker) -> ChangeResult:
        address = _checked_address(tracker.get_slot("new_address")).address
        return changes.readdress(number, address, current_profile().shipping)

    def reply(self, result: ChangeResult) -> tuple:
        buttons = [] if result.outcome is ChangeOutcome.DONE else [HUMAN_BUTTON]
        return render_address_change(result, clock.now(), current_profile()), buttons
