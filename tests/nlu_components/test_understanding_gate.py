"""The NLU gates: unknown words and unsure FAQ guesses become nlu_fallback; other languages are named."""
from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from nlu_components.language_gate import LanguageGate
from nlu_components.understanding_gate import UnderstandingGate, known_share

VOCABULARY = frozenset("where is my order track the package what payment methods do you accept".split())


def gate(**config) -> UnderstandingGate:
    return UnderstandingGate(config, model_storage=None, resource=None, vocabulary=VOCABULARY)


def message(text: str, intent: str, confidence: float = 0.99, **extra) -> Message:
    data = {"text": text, "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}], **extra}
    return Message(data=data)


def test_known_share_counts_words_seen_in_training():
    assert known_share("where is my ordr", VOCABULARY) == 0.75
    assert known_share("qwzx plorb vrrt", VOCABULARY) == 0.0
    assert known_share("100001 👍", VOCABULARY) is None


def test_keyboard_mash_falls_back_and_keeps_the_ranking():
    [m] = gate().process([message("qwzx plorb vrrt", "faq")])
    assert m.get("intent")["name"] == "nlu_fallback"
    assert [i["name"] for i in m.get("intent_ranking")] == ["nlu_fallback", "faq"]


def test_known_words_and_entities_pass():
    [known] = gate().process([message("WHERE is my ordr?", "order_status")])
    assert known.get("intent")["name"] == "order_status"
    [with_entity] = gate().process([message("zzz 100001", "inform", entities=[{"entity": "order_number", "value": "100001"}])])
    assert with_entity.get("intent")["name"] == "inform"


def test_an_unsure_faq_pick_falls_back_a_sure_one_passes():
    unsure = {"faq": {"response": {"confidence": 0.08, "intent_response_key": "faq/gift_cards"}}}
    sure = {"faq": {"response": {"confidence": 0.9, "intent_response_key": "faq/payment_methods"}}}
    [a] = gate(min_faq_confidence=0.15).process([message("what payment methods do you accept", "faq", response_selector=unsure)])
    [b] = gate(min_faq_confidence=0.15).process([message("what payment methods do you accept", "faq", response_selector=sure)])
    assert a.get("intent")["name"] == "nlu_fallback" and b.get("intent")["name"] == "faq"


def test_an_faq_intent_that_won_unsurely_falls_back_even_with_a_sure_pick():
    sure = {"faq": {"response": {"confidence": 0.9, "intent_response_key": "faq/payment_methods"}}}
    text = "what payment methods do you accept"
    [unsure] = gate(min_faq_intent_confidence=0.6).process([message(text, "faq", 0.45, response_selector=sure)])
    [confident] = gate(min_faq_intent_confidence=0.6).process([message(text, "faq", 0.8, response_selector=sure)])
    [other] = gate(min_faq_intent_confidence=0.6).process([message("where is my order", "order_status", 0.45)])
    assert unsure.get("intent")["name"] == "nlu_fallback"
    assert confident.get("intent")["name"] == "faq" and other.get("intent")["name"] == "order_status"


def test_language_gate_marks_other_languages_only():
    [spanish, english, button] = LanguageGate().process([
        message("¿Dónde está mi pedido?", "order_status"), message("where is my order", "order_status"),
        message("/order_status", "order_status"),
    ])
    assert spanish.get("intent")["name"] == "unsupported_language"
    assert english.get("intent")["name"] == "order_status" and button.get("intent")["name"] == "order_status"


def test_a_message_with_an_order_number_or_email_is_never_off_topic():
    ranking = [{"name": "out_of_scope", "confidence": 0.67}, {"name": "order_status", "confidence": 0.30}]
    data = {"text": "track order 100001, email maria.gonzalez@example.com",
            "intent": dict(ranking[0]), "intent_ranking": ranking,
            "entities": [{"entity": "order_number", "value": "100001"},
                         {"entity": "email", "value": "maria.gonzalez@example.com"}]}
    [m] = gate().process([Message(data=data)])
    assert m.get("intent") == {"name": "order_status", "confidence": 1.0}  # the only shop intent
    assert [i["name"] for i in m.get("intent_ranking")] == ["order_status", "out_of_scope"]
    # A ZIP code alone does not make a question about the shop: "weather in 10001" stays off-topic.
    weather = {"text": "what's the weather in 10001", "intent": dict(ranking[0]), "intent_ranking": ranking,
               "entities": [{"entity": "zip_code", "value": "10001"}]}
    [w] = gate().process([Message(data=weather)])
    assert w.get("intent")["name"] == "out_of_scope"


def test_an_ambiguous_fallback_between_a_shop_intent_and_off_topic_takes_the_shop_intent():
    # The fallback classifier saw order_status 0.501 and out_of_scope 0.479: "ambiguous".
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "order_status", "confidence": 0.501},
               {"name": "out_of_scope", "confidence": 0.479}, {"name": "refund_status", "confidence": 0.008}]
    entities = [{"entity": "order_number", "value": "100001"}, {"entity": "email", "value": "m@example.com"}]
    data = {"text": "where is order 100001? email m@example.com", "intent": dict(ranking[0]),
            "intent_ranking": ranking, "entities": entities}
    [m] = gate().process([Message(data=data)])
    assert m.get("intent") == {"name": "order_status", "confidence": round(0.501 / 0.509, 4)}
    # Two shop intents close together stay unsure: the customer is asked which one.
    close = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "order_status", "confidence": 0.45},
             {"name": "refund_status", "confidence": 0.44}, {"name": "out_of_scope", "confidence": 0.11}]
    data = {"text": "order 100001 refund?", "intent": dict(close[0]), "intent_ranking": close,
            "entities": entities[:1]}
    [u] = gate().process([Message(data=data)])
    assert u.get("intent")["name"] == "nlu_fallback"
    # Without a shop identifier the fallback stands.
    data = {"text": "where is it", "intent": dict(ranking[0]), "intent_ranking": ranking}
    [n] = gate().process([Message(data=data)])
    assert n.get("intent")["name"] == "nlu_fallback"


def with_spans(text: str, intent: str, confidence: float, *found) -> Message:
    """A parsed message whose entities carry their places in `text`, as the extractor gives them."""
    entities = [{"entity": name, "value": value, "start": text.index(value), "end": text.index(value) + len(value)}
                for name, value in found]
    return message(text, intent, confidence, entities=entities)


def test_identifiers_with_filler_words_only_are_information():
    cases = [("it is order 100003", "order_status", ("order_number", "100003")),
             ("the email on it is aisha.khan@example.com", "nlu_fallback", ("email", "aisha.khan@example.com")),
             ("billing zip code 60614", "faq", ("zip_code", "60614")),
             ("my email is maria.lopez@example.com", "out_of_scope", ("email", "maria.lopez@example.com")),
             ("oops, I meant 100006", "nlu_fallback", ("order_number", "100006"))]
    for text, guessed, found in cases:
        [m] = gate().process([with_spans(text, guessed, 0.6, found)])
        assert m.get("intent") == {"name": "inform", "confidence": 1.0}, text
    # a request with an identifier stays the request
    for text, intent, found in [("cancel order 100001", "cancel_order", ("order_number", "100001")),
                                ("what's the weather in 10001", "out_of_scope", ("zip_code", "10001")),
                                ("where is 100001", "order_status", ("order_number", "100001"))]:
        [m] = gate().process([with_spans(text, intent, 0.9, found)])
        assert m.get("intent")["name"] == intent, text
