"""Full order-status conversations over the REST channel against the real servers."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_step_by_step_conversation_answers_from_the_database(chat):
    assert "order" in chat.text("hi").lower()
    assert "order number" in chat.text("where is my order?")
    assert "email address or billing ZIP" in chat.text("it's #100001")
    answer = chat.text("my email is maria.gonzalez@example.com")
    assert "Order #100001 is on its way" in answer
    assert "1Z999AA10123456784" in answer and "UPS" in answer
    assert "Estimated delivery: tomorrow" in answer
    # a follow-up about the same order needs no new proof
    again = chat.text("where is order 100001 now?")
    assert "Order #100001 is on its way" in again
    assert "You're welcome" in chat.text("thanks!")


def test_one_shot_message_answers_at_once(chat):
    answer = chat.text("track order 100001, email maria.gonzalez@example.com")
    assert "Order #100001 is on its way" in answer


def test_billing_zip_works_as_proof_and_late_parcel_is_called_late(chat):
    chat.say("where is order 100005")
    replies = chat.say("98101")
    text = "\n".join(m.get("text", "") for m in replies)
    assert "running late" in text and "I'm sorry" in text and "may be lost" in text
    assert any(b["payload"] == "/human_handoff" for m in replies for b in m.get("buttons", []))


def test_wrong_email_and_unknown_order_get_the_same_reply(chat):
    chat.say("where is my order")
    chat.say("100001")
    wrong_email = chat.text("li.wei@example.com")
    chat.say("999999")
    unknown_order = chat.text("maria.gonzalez@example.com")
    assert wrong_email == unknown_order
    assert "couldn't find an order with that number" in wrong_email
    assert "Trail Running Shoes" not in wrong_email + unknown_order


def test_three_failed_checks_stop_checking_and_hand_over_to_a_person(chat, desk):
    for _ in range(3):
        chat.say("track order 100001")
        last = "\n".join(m.get("text", "") for m in chat.say("wrong@example.org"))
    assert "can't check any more details" in last and "passing you to a person" in last
    _, listed = desk.call("GET", "/api/handoffs?status=queued")
    (mine,) = [h for h in listed["handoffs"] if h["conversation_id"] == chat.sender]
    assert mine["reason"] == "verification_failed" and not mine["verified"]
    # a person has the conversation now: the bot does not answer, even with the right proof;
    # the message waits for the team, and the customer is told so
    (after,) = chat.say("track order 100001, email maria.gonzalez@example.com")
    assert "I've added that for our team" in after["text"] and "on its way" not in after["text"]


def test_other_orders_are_listed_for_the_verified_customer_and_can_be_picked(chat):
    chat.say("track order 100001 zip 94107")
    replies = chat.say("and my other orders?")
    payloads = [b["payload"] for m in replies for b in m.get("buttons", [])]
    assert payloads == ['/order_status{"order_number":"100001"}', '/order_status{"order_number":"100006"}']
    picked = chat.text(payloads[1])
    assert "Order #100006 has been delivered" in picked and "final sale" in picked


def test_an_email_alone_lists_nothing(chat):
    chat.say("my email is maria.gonzalez@example.com")
    text = chat.text("show me all my orders")
    assert "100001" not in text and "100006" not in text
    assert "once you've verified one" in text


def test_digression_inside_the_form_returns_to_it(chat):
    chat.say("I want to track my order")
    text = chat.text("what can you do?")
    assert "I can tell you where your order is" in text
    assert "order number" in text.split("\n")[-1]
    assert "email address or billing ZIP" in chat.text("100003")
    assert "Order #100003 has been delivered" in chat.text("olga.petrova@example.com")


def test_follow_ups_after_a_verified_order_are_about_that_order(chat):
    first = chat.text("where is order 100001? my email is maria.gonzalez@example.com")
    assert "1Z999AA10123456784" in first
    for follow_up in ("who is the carrier?", "where is it now?", "and when will it arrive?"):
        reply = chat.text(follow_up)
        assert "Order #100001" in reply and "UPS" in reply, follow_up
        assert "email address or billing ZIP" not in reply  # no new proof asked
