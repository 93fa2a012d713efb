"""Handing the conversation to a person: the customer asked, complained, was not understood
twice, failed the ownership checks, or wants more after a refused return or a lost parcel.

The handoff (summary + full transcript) goes to the agent desk through bot.handoff.service;
from then on the channels (channels/) keep the bot quiet until an agent resolves it.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.core import clock
from bot.handoff import policy as handoff_policy
from bot.handoff import service as handoff_service
from bot.handoff.conversation_events import whole_session
from bot.profile.shop_profile import current_profile
from bot.text.buttons import HUMAN_BUTTON

logger = logging.getLogger(__name__)


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str,
             order_numbers: Optional[List[str]] = None) -> bool:
    """Opens (or finds) the conversation's handoff and tells the customer what happens next.

    If the handoff cannot be recorded, the customer gets the contact options instead, so they
    are never left without a way to reach a person. Returns whether the handoff exists.
    """
    slots: Dict[str, Any] = dict(tracker.slots)
    try:
        ticket = handoff_service.create_handoff(
            tracker.sender_id, tracker.get_latest_input_channel() or "unknown",
            whole_session(tracker.sender_id, tracker.events),
            reason, order_numbers=order_numbers or list(slots.get("verified_orders") or []), slots=slots,
        )
    except Exception:
        logger.exception("creating a handoff failed for conversation %s", tracker.sender_id)
        dispatcher.utter_message(response="utter_human_contact")
        return False
    dispatcher.utter_message(text=ticket.message)
    try:
        handoff_service.add_bot_message(tracker.sender_id, ticket.message)
    except Exception:  # the transcript misses one line; the handoff itself exists
        logger.exception("recording the handoff reply failed for %s", tracker.sender_id)
    return True


def _reason(tracker: Tracker) -> str:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    trigger = handoff_policy.detect_trigger(
        intent,
        fallbacks_in_a_row=handoff_policy.fallbacks_in_a_row(tracker.events),
        after=tracker.get_slot("last_outcome"),
    )
    return trigger.reason if trigger else handoff_policy.ASKED


class ActionHandoff(Action):
    """The customer asked for a person or complained (or wants more after a refusal)."""

    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        hand_off(dispatcher, tracker, _reason(tracker))
        return []


class ActionDefaultFallback(Action):
    """The second miss in a row (the two-stage fallback gives up): a person takes over."""

    def name(self) -> Text:
        return "action_default_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_default")
        hand_off(dispatcher, tracker, handoff_policy.NOT_UNDERSTOOD)
        return [UserUtteranceReverted()]


def locked_out(dispatcher: CollectingDispatcher, tracker: Tracker, tried: List[str]) -> Optional[bool]:
    """After too many failed ownership checks: say so and hand the conversation to a person,
    unless a person was already told about these orders in the lock window (someone guessing
    from many conversations); the customer can still ask for a person themselves."""
    window = timedelta(minutes=current_profile().ownership_proof.window_minutes)
    try:
        already = handoff_service.verification_handoff_since(tried, clock.now() - window)
    except Exception:
        logger.exception("looking up earlier verification handoffs failed")
        already = False
    if already:
        dispatcher.utter_message(response="utter_proof_locked", buttons=[HUMAN_BUTTON])
        return False
    dispatcher.utter_message(response="utter_verification_locked")
    return hand_off(dispatcher, tracker, handoff_policy.VERIFICATION_FAILED, tried)
