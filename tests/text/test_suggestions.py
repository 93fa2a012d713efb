"""'Did you mean …?' buttons from an NLU ranking."""
from __future__ import annotations

from bot.text.suggestions import SOMETHING_ELSE, suggestion_buttons


def test_top_meanings_become_buttons_with_faq_topics_expanded():
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "faq", "confidence": 0.4},
               {"name": "order_status", "confidence": 0.3}, {"name": "greet", "confidence": 0.2}]
    faq = [{"intent_response_key": "faq/gift_cards", "confidence": 0.6},
           {"intent_response_key": "faq/promo_codes", "confidence": 0.3}]
    buttons = suggestion_buttons(ranking, faq, {"gift_cards": "do you sell gift cards", "promo_codes": "how do promo codes work"})
    assert buttons == [
        {"title": "Gift cards", "payload": "do you sell gift cards"},
        {"title": "Promo codes", "payload": "how do promo codes work"},
        {"title": "Track my order", "payload": "/order_status"},
        SOMETHING_ELSE,
    ]


def test_nothing_likely_leaves_only_something_else():
    assert suggestion_buttons([{"name": "greet", "confidence": 0.9}, {"name": "help", "confidence": 0.01}]) == [SOMETHING_ELSE]


def test_refund_policy_and_refund_status_are_both_offered():
    ranking = [{"name": "nlu_fallback", "confidence": 0.55}, {"name": "return_policy", "confidence": 0.24},
               {"name": "refund_status", "confidence": 0.2}]
    assert suggestion_buttons(ranking) == [
        {"title": "Return and refund policy", "payload": "/return_policy"},
        {"title": "Where is my refund?", "payload": "/refund_status"},
        SOMETHING_ELSE,
    ]


def test_every_shop_request_in_the_domain_can_be_suggested():
    from pathlib import Path

    import yaml

    from bot.text.suggestions import INTENT_TITLES

    intents = set(yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text())["intents"])
    not_requests = {"greet", "goodbye", "thank", "affirm", "deny", "out_of_scope", "faq", "inform",
                    "unsupported_language", "stop", "insult"}
    assert intents - not_requests == set(INTENT_TITLES)
