"""FAQ answers, the two-stage fallback and robustness, over REST against the real servers."""
from __future__ import annotations

import pytest
import yaml

from bot.profile.faq import FAQ_FILE, GENERATED_FILE, load_faq
from bot.profile.shop_profile import DEFAULT_PROFILE, load_profile

pytestmark = pytest.mark.integration

# The model and its FAQ answers are made from the shop's own files (shop/faq.yml, shop/profile.yml),
# not the tests' fixtures.
FAQ = load_faq(FAQ_FILE)
ANSWERS = {
    key.split("/", 1)[1]: value[0]["text"]
    for key, value in yaml.safe_load(GENERATED_FILE.read_text())["responses"].items()
    if key.startswith("utter_faq/")
}


@pytest.mark.parametrize("topic", [t.key for t in FAQ])
def test_every_faq_topic_is_answered_from_the_profile_filled_answer(chat, topic):
    question = next(t.questions[0] for t in FAQ if t.key == topic)
    assert ANSWERS[topic] in chat.text(question)


def test_settings_in_answers_come_from_the_shop_profile(chat):
    profile = load_profile(DEFAULT_PROFILE)
    text = chat.text("what are your customer service hours?")
    assert profile.placeholders()["support_hours"] in text


def test_faq_inside_the_order_form_is_answered_and_the_form_resumes(chat):
    chat.say("where is my order?")
    chat.say("100003")
    text = chat.text("do you accept paypal?")
    assert ANSWERS["payment_methods"] in text
    assert "email address or billing ZIP" in text  # back to the question it was asking
    assert "Order #100003 has been delivered" in chat.text("60614")


def test_two_stage_fallback_suggests_then_hands_over_to_a_person(chat, desk):
    first = chat.say("qwzx plorb vrrt")
    assert "Did you mean" in first[0]["text"]
    assert first[0]["buttons"][-1] == {"title": "Something else", "payload": "/out_of_scope"}
    second = "\n".join(m.get("text", "") for m in chat.say("blarg flimflam zzzt"))
    assert "still don't understand" in second and "passing you to a person" in second
    _, listed = desk.call("GET", "/api/handoffs?status=queued")
    assert [h["reason"] for h in listed["handoffs"] if h["conversation_id"] == chat.sender] == ["not_understood"]


def test_something_else_asks_to_rephrase_and_a_clear_message_is_then_answered(chat):
    chat.say("qwzx plorb vrrt")
    assert "other words" in chat.text("/out_of_scope")
    assert "You're welcome" in chat.text("thank you")


def test_picking_a_suggestion_answers_it(chat):
    replies = chat.say("qwzx plorb vrrt")
    choices = [b for b in replies[0]["buttons"] if b["payload"] != "/deny"]
    if not choices:
        pytest.skip("the model offered no suggestion for this message")
    answer = chat.text(choices[0]["payload"])
    assert answer and "Did you mean" not in answer  # answered, not another fallback


def test_out_of_scope_gets_a_polite_reply(chat):
    assert "outside what I can help with" in chat.text("who won the football game last night?")


@pytest.mark.parametrize("message", ["¿Dónde está mi pedido?", "Wo ist meine Bestellung?", "где мой заказ"])
def test_a_language_the_bot_does_not_speak_gets_told_which_it_speaks(chat, message):
    assert "I can only chat in English" in chat.text(message)


@pytest.mark.parametrize("message", [
    "WHERE IS MY ORDER", "wher is my ordr", "where is my order?? 📦🙏",
    "order " * 1500 + "status please", "   ", "",
])
def test_odd_input_is_answered_not_crashed_on(chat, message):
    replies = chat.say(message)
    assert replies and all(r.get("text") for r in replies)


def test_restart_forgets_the_verified_order(chat):
    assert "Order #100001" in chat.text("track order 100001 zip 94107")
    chat.say("/restart")
    assert "email address or billing ZIP" in chat.text("where is order 100001")


def test_a_new_session_starts_fresh(chat):
    assert "Order #100001" in chat.text("track order 100001 zip 94107")
    chat.say("/session_start")
    assert "email address or billing ZIP" in chat.text("where is order 100001")
