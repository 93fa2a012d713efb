"""First stage of the two-stage fallback: 'Did you mean …?' with the likeliest meanings."""
from __future__ import annotations

from functools import lru_cache
from typing import Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.profile.faq import load_faq
from bot.text.suggestions import suggestion_buttons


@lru_cache(maxsize=1)
def _faq_first_questions() -> Dict[str, str]:
    try:
        return {topic.key: topic.questions[0] for topic in load_faq()}
    except ValueError:  # a broken FAQ file must not break the fallback
        return {}


class ActionAskAffirmation(Action):
    """Replaces Rasa's default affirmation question with up to three suggestions."""

    def name(self) -> Text:
        return "action_default_ask_affirmation"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        faq_ranking = (
            message.get("response_selector", {}).get("faq", {}).get("ranking", [])
        )
        buttons = suggestion_buttons(
            message.get("intent_ranking", []), faq_ranking, _faq_first_questions()
        )
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []
