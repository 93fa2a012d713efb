"""The FAQ file: validated with clear errors, and turned into profile-filled Rasa data."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.profile.faq import FaqError, load_faq, training_data
from bot.profile.shop_profile import load_profile, profile_path

REQUIRED = {"payment_methods", "contact_options", "promo_codes", "warranty", "size_guide", "privacy",
            "payment_declined", "gift_cards", "price_adjustments", "product_care", "stock_restock",
            "pre_orders", "order_changes", "invoices", "account_password", "guest_checkout",
            "newsletter", "customs_duties", "gift_wrapping", "packaging_sustainability", "where_made",
            "loyalty_points", "discounts_student_military", "return_shipping"}


def test_the_shipped_faq_covers_the_required_topics():
    profile = load_profile()
    topics = load_faq(allowed=tuple(profile.placeholders()))
    assert len(topics) >= 35
    assert REQUIRED <= {t.key for t in topics}


def test_answers_quote_the_profile_not_literals():
    profile = load_profile()
    data = training_data(load_faq(), profile)
    contact = data["responses"]["utter_faq/contact_options"][0]["text"]
    assert profile.support_email in contact and profile.placeholders()["support_hours"] in contact
    assert not any("{" in r[0]["text"] or "}" in r[0]["text"] for r in data["responses"].values())
    intents = {entry["intent"] for entry in data["nlu"]}
    assert "faq/payment_methods" in intents


def test_a_changed_profile_changes_the_answer(tmp_path: Path):
    raw = yaml.safe_load(profile_path().read_text())
    raw["support"]["email"] = "help@other-shop.test"
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(raw))
    data = training_data(load_faq(), load_profile(path))
    assert "help@other-shop.test" in data["responses"]["utter_faq/contact_options"][0]["text"]


@pytest.mark.parametrize("content, problem", [
    ("topics: {}", "expected a 'topics:' mapping"),
    ("topics:\n  Bad-Key:\n    questions: [a, b, c, d, e]\n    answer: x", "topic name"),
    ("topics:\n  t:\n    questions: [a, b]\n    answer: x", "at least 5 questions"),
    ("topics:\n  t:\n    questions: [a, b, c, d, e]\n    answer: 'Call {phone_number}'", "unknown placeholder {phone_number}"),
    ("topics:\n  t:\n    questions: [a, b, c, d, e]\n    answer: 'broken {'", "answer"),
    ("topics:\n  t:\n    questions: [a, b, c, d, e]\n    answer: x\n    buttons: [{title: Go}]", "title and a payload"),
])
def test_a_bad_faq_file_names_the_topic_and_field(tmp_path: Path, content, problem):
    path = tmp_path / "faq.yml"
    path.write_text(content)
    with pytest.raises(FaqError, match=problem.replace("{", r"\{").replace("}", r"\}")):
        load_faq(path, allowed=tuple(load_profile().placeholders()))
