"""Proof of ownership shared by every order flow: the order number, then its email or ZIP.

Each order form's validation subclasses OrderProofValidation. The form asks for the order
number and the proof, checks them together once, remembers every order of a verified customer
(`verified_orders`), and only then asks the flow's own questions (`flow_slots`). After
MAX_FAILED_CHECKS failures in a conversation it stops asking; the flow's final action then
offers a person instead of answering. Failures are also counted in the database per order and
per client (bot.orders.proof_guard), so fresh conversations do not reset them: a locked order
or client gets no check at all, only a kind word and the offer of a person.

A customer signed in on the shop's site (a valid token from the widget, actions/signed_in.py)
still gives the order number, but is not asked for proof when the order is theirs; for anyone
else's order they are asked as usual, and a mismatch is not counted as a failed check.
"""
from __future__ import annotations

import logging
from abc import abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.handoff import locked_out
from actions.signed_in import signed_in_customer
from bot.core import clock
from bot.orders import proof_guard
from bot.orders import status as order_status
from bot.orders.lookup import MAX_FAILED_CHECKS, normalize_order_number, normalize_proof
from bot.privacy.stored_events import is_masked_proof
from bot.text.buttons import HUMAN_BUTTON

logger = logging.getLogger(__name__)

Slots = Dict[Text, Any]
PROOF_SLOTS = ["order_number", proof_guard.PROOF_SLOT]


def verified_orders(tracker: Tracker) -> List[str]:
    return list(tracker.get_slot("verified_orders") or [])


def failed_checks(tracker: Tracker) -> int:
    return int(tracker.get_slot("failed_checks") or 0)


def locked(tracker: Tracker) -> bool:
    return failed_checks(tracker) >= MAX_FAILED_CHECKS or bool(tracker.get_slot("proof_refused"))


def failed_orders(tracker: Tracker) -> List[str]:
    return list(tracker.get_slot("failed_orders") or [])


def client_of(tracker: Tracker) -> str:
    """Who is asking, for counting failed proofs across conversations: the IP the web channels
    stamp on each message (`client`), else the channel's own user id (a messaging app's)."""
    message = tracker.latest_message or {}
    stamped = (message.get("metadata") or {}).get(proof_guard.CLIENT_METADATA_KEY)
    channel = tracker.get_latest_input_channel() or "unknown"
    return f"{channel}:{stamped}" if stamped else f"{channel}:{tracker.sender_id}"


def email_verified_orders(tracker: Tracker) -> List[str]:
    """Orders proven with their email (or a sign-in): only these may be changed."""
    return list(tracker.get_slot("email_verified_orders") or [])


def proven_orders(tracker: Tracker, for_change: bool = False) -> List[str]:
    """The orders the customer may see, or (`for_change`) cancel or redirect: a ZIP shows the
    status but does not redirect the parcel."""
    return email_verified_orders(tracker) if for_change else verified_orders(tracker)


def verified_order(tracker: Tracker, for_change: bool = False) -> str | None:
    """The order the flow is about, if the customer proved they own it well enough; else None."""
    number = tracker.get_slot("order_number")
    return number if number and number in proven_orders(tracker, for_change) else None


def require_verified(dispatcher: CollectingDispatcher, tracker: Tracker,
                     for_change: bool = False) -> str | None:
    """For a flow's final action: the verified order, or None after telling the customer why not.

    A form only ends without a verified order when the bot stopped checking (too many failed
    checks), so the conversation goes to a person.
    """
    number = verified_order(tracker, for_change)
    if number is None:
        if not tracker.get_slot("proof_refused"):
            locked_out(dispatcher, tracker, failed_orders(tracker))
        elif not said_this_turn(tracker, "utter_proof_locked"):
            dispatcher.utter_message(response="utter_proof_locked", buttons=[HUMAN_BUTTON])
    return number


def said_this_turn(tracker: Tracker, response: str) -> bool:
    """Whether the bot already gave `response` since the customer's last message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == response:
            return True
    return False


def just_typed(tracker: Tracker) -> bool:
    """True when the form runs straight after the customer's message (not after a digression
    such as an FAQ answer), so the message text may be taken as the answer to its question."""
    return tracker.latest_action_name == "action_listen"


class OrderProofValidation(FormValidationAction):
    """Base validation for forms that start with order_number and owner_proof.

    A form that changes the order (`for_change`) needs the order's email: an order verified
    only by ZIP is asked for its email (the form's own utter_ask_<form>_owner_proof)."""

    for_change: bool = False

    @abstractmethod
    def name(self) -> Text:
        """validate_<form name>; abstract, so the action server does not register this base."""

    async def flow_slots(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """The flow's own slots, asked once the order is verified ([] ends the form)."""
        return []

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        if locked(tracker):
            return []  # stop asking: the final action offers a person instead
        if verified_order(tracker, self.for_change) is None:
            return list(PROOF_SLOTS)
        return ["order_number"] + await self.flow_slots(dispatcher, tracker, domain)

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
        if self.for_change and proof.kind != "email":
            dispatcher.utter_message(response="utter_email_needed_for_change")
            return {"owner_proof": None}
        return {"owner_proof": proof.value}

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # A refusal ends the form in the turn it happens; the next time the form runs, the
        # database decides again (the lock may have expired).
        stale: List[EventType] = []
        if tracker.get_slot("proof_refused"):
            tracker.slots["proof_refused"] = None
            stale = [SlotSet("proof_refused", None)]
        events = stale + await super().get_validation_events(dispatcher, tracker, domain)
        changed = {e["name"] for e in events if e.get("event") == "slot"}
        values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        number = values.get("order_number", tracker.get_slot("order_number"))
        proof = values.get("owner_proof", tracker.get_slot("owner_proof"))
        already = proven_orders(tracker, self.for_change)
        if is_masked_proof(proof) and "owner_proof" not in changed:
            # A proof read back from storage is masked (bot.privacy.stored_events): a proof
            # holds for the turn it is given in, so an order not yet proven is proven anew.
            if number and number not in already:
                return events + [SlotSet("owner_proof", None)]
            proof = None
        if self.for_change and number and number not in already and "owner_proof" not in changed:
            # Verified by ZIP earlier (or not at all): ask for the email, whatever proof is kept.
            kept = normalize_proof(proof)
            if kept is None or kept.kind != "email":
                return events + [SlotSet("owner_proof", None)]
        if (
            locked(tracker)
            or not number
            or number in already
            or not changed & set(PROOF_SLOTS)
        ):
            return events
        signed_in = self._signed_in_owner(number, tracker)
        if signed_in:
            return events + signed_in
        if not proof:
            return events
        return events + self._check(number, proof, dispatcher, tracker)

    def _signed_in_owner(self, number: str, tracker: Tracker) -> List[EventType]:
        """Verification events if the signed-in customer owns `number`; [] otherwise.

        [] means "ask for proof as usual": nobody signed in, someone else's order or an unknown
        one (the same, so order numbers cannot be probed), or the database is unavailable.
        """
        customer = signed_in_customer(tracker)
        if customer is None:
            return []
        try:
            check = order_status.check_ownership(number, customer.email)
        except Exception:  # asking for proof is a safe fallback; the log gets the details
            logger.exception("signed-in ownership check failed for order %s", number)
            return []
        return self._verified(check, tracker) if check.verified else []

    def _check(
        self, number: str, proof: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[EventType]:
        try:
            guarded = proof_guard.guarded_check(number, proof, client_of(tracker), clock.now())
        except Exception:  # the customer gets a kind sentence, the log gets the details
            logger.exception("ownership check failed for order %s", number)
            dispatcher.utter_message(response="utter_lookup_unavailable")
            return [SlotSet("order_number", None), SlotSet("owner_proof", None)]
        if guarded.outcome == proof_guard.VERIFIED:
            return self._verified(guarded.check, tracker)
        forget = [SlotSet("order_number", None), SlotSet("owner_proof", None)]
        if guarded.outcome == proof_guard.LOCKED:
            logger.warning("proof refused for order %s: locked until %s", number, guarded.locked_until)
            dispatcher.utter_message(response="utter_proof_locked", buttons=[HUMAN_BUTTON])
            return [SlotSet("proof_refused", True)] + forget
        failed = failed_checks(tracker) + 1
        tried = failed_orders(tracker) + ([number] if number not in failed_orders(tracker) else [])
        if guarded.locked_until is not None:  # this failure locked the order (or the client)
            dispatcher.utter_message(response="utter_proof_locked", buttons=[HUMAN_BUTTON])
            return [SlotSet("proof_refused", True), SlotSet("failed_orders", tried)] + forget
        if failed < MAX_FAILED_CHECKS:
            dispatcher.utter_message(response="utter_verification_failed")
        return [SlotSet("failed_checks", float(failed)), SlotSet("failed_orders", tried)] + forget

    @staticmethod
    def _verified(check: order_status.OwnershipCheck, tracker: Tracker) -> List[EventType]:
        """The customer owns the order: remember them and every order of theirs."""
        known = verified_orders(tracker)
        merged = known + [n for n in check.customer_orders if n not in known]
        events: List[EventType] = [
            SlotSet("verified_customer_id", str(check.customer_id)),
            SlotSet("verified_orders", merged),
        ]
        if check.proof_kind == "email":
            by_email = email_verified_orders(tracker)
            events.append(SlotSet("email_verified_orders",
                                  by_email + [n for n in check.customer_orders if n not in by_email]))
        return events
