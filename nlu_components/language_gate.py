"""An NLU step that marks messages written in a language the bot does not speak.

It runs last in the pipeline: a message that bot.text.language recognises as, say, Spanish gets
the intent `unsupported_language`, and the bot answers which languages it speaks instead of
guessing an intent from words it cannot understand. The languages the shop speaks are the
profile's `support.languages`, read as each message is parsed: a listed language passes to the
model (`make evaluate-nlu` scores Chinese and Russian that way).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.profile.shop_profile import current_profile
from bot.text.language import unspoken_language

UNSUPPORTED_LANGUAGE_INTENT = "unsupported_language"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class LanguageGate(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageGate":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        languages = current_profile().languages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/") or not unspoken_language(text, languages):
                continue
            intent = {"name": UNSUPPORTED_LANGUAGE_INTENT, "confidence": 1.0}
            ranking = [intent] + [
                i for i in (message.get(INTENT_RANKING_KEY) or []) if i.get("name") != intent["name"]
            ]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
