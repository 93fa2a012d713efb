"""Returns, refunds and problem deliveries over REST with the reference orders; rows checked after."""
from __future__ import annotations

import json

import pytest

from tests.integration.db_checks import claims_of, item_ids, returns_of

pytestmark = pytest.mark.integration


def payload(intent: str, **entities) -> str:
    return f"/{intent}{json.dumps(entities)}"


def buttons(replies):
    return [b for m in replies for b in m.get("buttons", [])]


def test_100003_eligible_return_creates_one_rma(chat, stack_db):
    assert "order number" in chat.text("I want to return something")
    assert "email address or billing ZIP" in chat.text("100003")
    replies = chat.say("olga.petrova@example.com")
    titles = [b["title"] for b in buttons(replies)]
    assert "Cashmere Scarf ($45.00)" in titles and "Merino Wool Sweater ($89.00)" in titles
    scarf = item_ids(stack_db, "100003")["Cashmere Scarf"]
    assert "Why are you returning" in chat.text(payload("inform", return_item=str(scarf)))
    assert "refund or an exchange" in chat.text("it's too small")
    done = chat.text(payload("inform", return_resolution="refund:original payment method"))
    (ret,) = [r for r in returns_of(stack_db, "100003") if scarf in [i.order_item_id for i in r.items]]
    assert ret.rma in done and "$45.00" in done and ret.status == "requested" and ret.reason == "wrong size"
    # asking again shows the existing return for the scarf instead of offering it again
    again = chat.text("I want to return something from order 100003")
    assert f"Cashmere Scarf: it's already in return {ret.rma}" in again
    chat.say(payload("inform", return_item=str(scarf)))  # an old button: not accepted
    assert len([r for r in returns_of(stack_db, "100003") if scarf in [i.order_item_id for i in r.items]]) == 1


def test_100004_window_passed_is_explained_with_the_date_and_a_person_offered(chat, stack_db):
    chat.say("I'd like to return my headphones from order 100004")
    replies = chat.say("james.oconnor@example.com")
    text = "\n".join(m.get("text", "") for m in replies)
    assert "window closed" in text and "November 8" in text
    assert "/human_handoff" in [b["payload"] for b in buttons(replies)]
    assert returns_of(stack_db, "100004") == []


def test_100006_final_sale_item_is_not_offered(chat):
    chat.say("return order 100006")
    replies = chat.say("94107")
    text = "\n".join(m.get("text", "") for m in replies)
    assert "Clearance Rain Jacket: final-sale items can't be returned" in text
    assert [b["title"] for b in buttons(replies)] == ["Running Socks 3-pack ($15.00)"]


def test_100008_refund_status_names_the_pending_refund(chat):
    chat.say("where is my refund for order 100008?")
    answer = chat.text("olga.petrova@example.com")
    assert "$59.00" in answer and "received" in answer and "November 21" in answer


def test_100005_late_parcel_gets_facts_and_a_recorded_claim(chat, stack_db, desk):
    chat.say("my package never arrived, order 100005")
    replies = chat.say("aisha.khan@example.com")
    text = "\n".join(m.get("text", "") for m in replies)
    assert "Portland" in text and "4 days" in text
    assert {"Send a new parcel", "Refund"} <= {b["title"] for b in buttons(replies)}
    done = chat.text(payload("inform", claim_resolution="reship"))
    (claim,) = claims_of(stack_db, "100005")
    assert claim.number in done and claim.kind == "missing_package" and claim.resolution == "reship"
    # The lost parcel is an alert on the desk, counted for its carrier.
    _, listed = desk.call("GET", "/api/alerts")
    (alert,) = [a for a in listed["alerts"] if a["conversation_id"] == chat.sender]
    assert (alert["kind"], alert["problem"], alert["order_number"]) == ("lost_parcel", "lost_parcel:USPS", "100005")
    assert alert["customer_email"] == "aisha.khan@example.com"


def test_return_policy_is_answered_from_the_profile_inside_the_flow(chat, stack_db):
    chat.say("I want to return an item from order 100003")
    policy = chat.text("what is your return policy?")
    assert "30 days of delivery" in policy
    assert "email address or billing ZIP" in policy  # and the flow asks its question again


def test_stop_leaves_the_flow_with_nothing_created(chat, stack_db):
    before = len(returns_of(stack_db, "100006"))
    chat.say("I want to return order 100006")
    chat.say("maria.gonzalez@example.com")
    assert "nothing was changed" in chat.text("never mind")
    assert len(returns_of(stack_db, "100006")) == before
