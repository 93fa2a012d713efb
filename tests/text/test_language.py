"""Messages in languages the bot does not speak are recognised; English ones are not flagged."""
from __future__ import annotations

import pytest

from bot.text.language import unsupported_language


@pytest.mark.parametrize("text, language", [
    ("hola", "Spanish"), ("¿Dónde está mi pedido?", "Spanish"), ("Bonjour, où est ma commande ?", "French"),
    ("Wo ist meine Bestellung bitte", "German"), ("Dov'è il mio ordine?", "Italian"),
    ("Olá, onde está meu pedido?", "Portuguese"), ("waar is mijn bestelling", "Dutch"),
    ("где мой заказ", "Russian"), ("我的订单在哪里", "Chinese"), ("注文はどこですか", "Japanese"),
])
def test_other_languages_are_named(text, language):
    assert unsupported_language(text) == language


@pytest.mark.parametrize("text", [
    "where is my order", "hi", "no", "ok thanks", "WHERE IS MY ORDER!!!", "wher is my ordr",
    "track order 100001 email maria.gonzalez@example.com", "can I pay with paypal", "asdkjh qwe",
    "I want to return my order, por favor", "", "   ", "👍", "100001", "is the la commande jacket in stock",
])
def test_english_and_non_words_pass(text):
    assert unsupported_language(text) is None


def test_the_shop_s_own_languages_pass_as_the_profile_names_them():
    from bot.text.language import spoken, unspoken_language

    assert unspoken_language("我的订单在哪里", ["English"]) == "Chinese"
    assert unspoken_language("我的订单在哪里", ["English", "Chinese (Simplified)", "Russian"]) is None
    assert unspoken_language("где мой заказ", ["English", "Russian"]) is None
    assert unspoken_language("注文はどこですか", ["English", "Chinese", "Russian"]) == "Japanese"
    assert unspoken_language("where is my order", ["English"]) is None
    assert spoken("Chinese", [" chinese "]) and not spoken("Chinese", ["English", ""])
