"""The in-repo spaCy pipeline finds order numbers, emails, ZIP codes and tracking numbers in
English, in Russian, and inside Chinese written without spaces; saved and loaded, it splits the same."""
from __future__ import annotations

import pytest
import spacy

from bot.text.nlp_pipeline import save_pipeline


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    return spacy.load(save_pipeline(tmp_path_factory.mktemp("spacy") / "shop"))


def ents(nlp, text):
    return [(e.text, e.label_) for e in nlp(text).ents]


@pytest.mark.parametrize("text, found", [
    ("我的订单100001在哪里?邮箱是 maria.gonzalez@example.com",
     [("100001", "order_number"), ("maria.gonzalez@example.com", "email")]),
    ("我的订单100001在哪里？邮箱是maria.gonzalez@example.com",
     [("100001", "order_number"), ("maria.gonzalez@example.com", "email")]),
    ("订单号100003，邮编94107", [("100003", "order_number"), ("94107", "zip_code")]),
    ("Где мой заказ 100001? Почта maria.gonzalez@example.com",
     [("100001", "order_number"), ("maria.gonzalez@example.com", "email")]),
    ("where is order 100001? email Li.Wei@Example.COM.", [("100001", "order_number"), ("Li.Wei@Example.COM", "email")]),
    ("快递单号1Z999AA10123456784查不到", [("1Z999AA10123456784", "tracking_number")]),
])
def test_details_are_found_in_every_language(nlp, text, found):
    assert ents(nlp, text) == found


def test_chinese_is_split_only_where_its_script_ends(nlp):
    assert [t.text for t in nlp("我想退货，订单100003")] == ["我想退货", "，", "订单", "100003"]
    assert [t.text for t in nlp("see https://www.ups.com/track?tracknum=1Z999AA10123456784 ok")] == [
        "see", "https://www.ups.com/track?tracknum=1Z999AA10123456784", "ok"]
