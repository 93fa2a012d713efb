"""The language gate: a message in a language the shop's profile does not list gets
unsupported_language; Chinese and Russian pass once the profile lists them."""
from __future__ import annotations

import yaml
from rasa.shared.nlu.training_data.message import Message

from bot.profile.shop_profile import profile_path
from nlu_components.language_gate import LanguageGate


def parsed(text: str) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": "order_status", "confidence": 0.9})
    message.set("intent_ranking", [{"name": "order_status", "confidence": 0.9}])
    return message


def intents(*texts):
    return [m.get("intent")["name"] for m in LanguageGate().process([parsed(t) for t in texts])]


def test_languages_the_profile_does_not_list_are_marked():
    assert intents("где мой заказ 100001", "我的订单100001在哪里", "¿dónde está mi pedido?", "where is my order") == [
        "unsupported_language", "unsupported_language", "unsupported_language", "order_status"]


def test_the_profile_s_languages_pass(tmp_path, monkeypatch):
    data = yaml.safe_load(profile_path().read_text(encoding="utf-8"))
    data["support"]["languages"] = ["English", "Chinese", "Russian"]
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("SHOP_PROFILE", str(path))
    assert intents("где мой заказ 100001", "我的订单100001在哪里", "¿dónde está mi pedido?") == [
        "order_status", "order_status", "unsupported_language"]
