"""Asking how it went when the customer says thanks or goodbye (bot.reports.surveys decides
whether: the assistant answered a request in this session, and nothing was asked yet)."""
from __future__ import annotations

import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.reports import surveys

logger = logging.getLogger(__name__)


class ActionOfferSurvey(Action):
    """Says nothing unless the session earned a survey; then its first question, with buttons."""

    def name(self) -> Text:
        return "action_offer_survey"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        try:
            first = surveys.offer_after_assistant(tracker.sender_id, tracker.get_latest_input_channel())
        except Exception:  # a survey is never worth a failed turn: the customer got their answer
            logger.exception("could not offer a survey in conversation %s", tracker.sender_id)
            return []
        if first is not None:
            dispatcher.utter_message(text=first.text, buttons=first.buttons)
        return []
