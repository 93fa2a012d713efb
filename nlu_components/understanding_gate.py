"""An NLU step that turns confident-looking guesses into an honest 'not understood'.

DIET is sure of itself even on keyboard mash ("qwzx plorb vrrt" -> some intent at 0.99), so
two extra checks send such messages to the fallback (intent nlu_fallback), where the customer
is asked "Did you mean …?" instead of getting a wrong answer:

- most of the message's words never occur in the training data;
- the FAQ intent won, but unsurely (its own confidence), or the response selector is unsure
  which FAQ it is: an unsure FAQ guess becomes "Did you mean …?" instead of a confident answer.

Both thresholds are set in config.yml from the held-out evaluation (docs/nlu-evaluation.md).

A message of identifiers and filler words only ("it is order 100003", "the email on it is
jo@example.com") is `inform`, however the classifier read it.

The other way round, a message carrying one of the shop's own identifiers (an order number, an
email address, a tracking number) is never off-topic: when out_of_scope won anyway, the
likeliest shop intent is taken instead ("track order 100001, email maria@..." once scored
out_of_scope 0.67 after a data change), also when out_of_scope came so close that the
fallback classifier called it ambiguous ("where is order 100001? email maria@...": order_status
0.50, out_of_scope 0.48); its confidence is then its share among the shop intents.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
#: Entities that make a message about the shop, whatever else it says (a ZIP code does not:
#: "weather in 10001" is off-topic).
SHOP_ENTITIES = frozenset({"order_number", "email", "tracking_number"})
#: A message made of identifiers and these words only gives information ("it is order 100003",
#: "the email on it is jo@example.com", "billing zip code 60614"): intent inform, whatever the
#: classifier guessed (DIET sends many of them to the fallback, an FAQ topic or out of scope).
INFORM_INTENT = "inform"
IDENTIFIERS = SHOP_ENTITIES | {"zip_code"}
INFORM_WORDS = frozenset("""
    a address and billing code e email i is it it's its mail me mean meant my no nr num number
    oh on oops order ordered postal postcode should sorry that the this used was with zip
    here here's there ok okay yes yeah yep correct right actually
    """.split())
VOCABULARY_FILE = "vocabulary.json"
#: Between the two likeliest shop intents, as the fallback classifier's ambiguity threshold.
SHOP_MARGIN = 0.1
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words_of(text: str) -> List[str]:
    return _WORD.findall(text.lower())


def known_share(text: str, vocabulary: FrozenSet[str]) -> Optional[float]:
    """Share of the message's words seen in training; None when it has no words at all."""
    words = words_of(text)
    if not words:
        return None
    return sum(w in vocabulary for w in words) / len(words)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class UnderstandingGate(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_known_share": 0.34, "min_faq_confidence": 0.15, "min_faq_intent_confidence": 0.0,
                "retrieval_intent": "faq"}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 vocabulary: Iterable[str] = ()) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self.vocabulary = frozenset(vocabulary)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "UnderstandingGate":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "UnderstandingGate":
        try:
            with model_storage.read_from(resource) as path:
                vocabulary = json.loads((path / VOCABULARY_FILE).read_text())
        except (ValueError, FileNotFoundError):
            vocabulary = []
        return cls(config, model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary = set()
        for example in training_data.training_examples:
            vocabulary.update(words_of(example.get(TEXT) or ""))
        self.vocabulary = frozenset(vocabulary)
        with self._storage.write_to(self._resource) as path:
            (path / VOCABULARY_FILE).write_text(json.dumps(sorted(vocabulary)))
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            if not text or text.startswith("/"):
                continue
            if intent.get("name") != INFORM_INTENT and self._only_identifiers(message, text):
                self._set_intent(message, INFORM_INTENT, 1.0)
                continue
            if intent.get("name") in (OUT_OF_SCOPE, FALLBACK_INTENT) and self._shop_entities(message):
                self._take_shop_intent(message)
                continue
            if intent.get("name") == FALLBACK_INTENT:
                continue
            if message.get(ENTITIES):
                continue  # an order number or email is understood even among unknown words
            share = known_share(text, self.vocabulary) if self.vocabulary else None
            if share is not None and share < self.config["min_known_share"]:
                self._fall_back(message, share)
            elif intent.get("name") == self.config["retrieval_intent"]:
                selected = (message.get("response_selector") or {}).get(self.config["retrieval_intent"], {})
                confidence = (selected.get("response") or {}).get("confidence")
                intent_confidence = float(intent.get("confidence") or 0.0)
                if confidence is not None and confidence < self.config["min_faq_confidence"]:
                    self._fall_back(message, confidence)
                elif intent_confidence < self.config["min_faq_intent_confidence"]:
                    self._fall_back(message, intent_confidence)
        return messages

    @staticmethod
    def _only_identifiers(message: Message, text: str) -> bool:
        """An order number, email, tracking number or ZIP code, and nothing but filler words."""
        spans = sorted((e.get("start"), e.get("end")) for e in message.get(ENTITIES) or []
                       if e.get("entity") in IDENTIFIERS and isinstance(e.get("start"), int)
                       and isinstance(e.get("end"), int))
        if not spans:
            return False
        rest, last = [], 0
        for start, end in spans:
            rest.append(text[last:start])
            last = max(last, end)
        rest.append(text[last:])
        return all(word in INFORM_WORDS for word in words_of(" ".join(rest)))

    @staticmethod
    def _set_intent(message: Message, name: str, confidence: float) -> None:
        chosen = {"name": name, "confidence": confidence}
        ranking = message.get(INTENT_RANKING_KEY) or []
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen] + [i for i in ranking if i.get("name") != name],
                    add_to_output=True)

    @staticmethod
    def _shop_entities(message: Message) -> bool:
        return any(e.get("entity") in SHOP_ENTITIES for e in message.get(ENTITIES) or [])

    @staticmethod
    def _take_shop_intent(message: Message) -> None:
        """Out of scope is ruled out: the likeliest shop intent, its confidence its share of
        the shop intents' (when it has at least half of it; else the message stays unsure)."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        shop = [i for i in ranking if i.get("name") not in (OUT_OF_SCOPE, FALLBACK_INTENT)]
        total = sum(float(i.get("confidence") or 0.0) for i in shop)
        if not shop or total <= 0:
            return
        shares = [float(i.get("confidence") or 0.0) / total for i in shop] + [0.0]
        share = shares[0]
        if share < 0.5 or share - shares[1] < SHOP_MARGIN:
            return  # two shop intents close together: "Did you mean...?" is right
        chosen = {"name": shop[0]["name"], "confidence": round(share, 4)}
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen] + [i for i in ranking if i.get("name") != chosen["name"]],
                    add_to_output=True)

    @staticmethod
    def _fall_back(message: Message, confidence: float) -> None:
        fallback = {"name": FALLBACK_INTENT, "confidence": round(1.0 - confidence, 4)}
        ranking = [fallback] + [i for i in (message.get(INTENT_RANKING_KEY) or []) if i.get("name") != FALLBACK_INTENT]
        message.set(INTENT, fallback, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
