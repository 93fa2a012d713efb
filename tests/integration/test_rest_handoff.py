"""A customer asks for a person; an agent works the handoff in the desk; the bot steps back in."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def texts(replies):
    return [m.get("text", "") for m in replies]


def test_customer_agent_round_trip_with_the_transcript(chat, desk):
    chat.say("where is order 100001?")
    chat.say("maria.gonzalez@example.com")  # verified: the agent sees the context
    handed = chat.text("I want to talk to a person")
    assert "passing you to a person" in handed

    status, listed = desk.call("GET", "/api/handoffs?status=queued")
    assert status == 200
    (mine,) = [h for h in listed["handoffs"] if h["conversation_id"] == chat.sender]
    status, detail = desk.call("GET", f"/api/handoffs/{mine['id']}")
    said = [(m["sender"], m["text"]) for m in detail["transcript"]]
    assert ("customer", "where is order 100001?") in said and ("customer", "I want to talk to a person") in said
    assert any(s == "bot" and "on its way" in t for s, t in said)  # the bot's answer is there too
    assert "100001" in str(detail["context"]) and detail["summary"]

    assert desk.call("POST", f"/api/handoffs/{mine['id']}/claim", {"agent": "sam"})[0] == 200
    assert desk.call("POST", f"/api/handoffs/{mine['id']}/messages",
                     {"agent": "sam", "text": "Hi, I'm Sam. Let me check the parcel for you."})[0] == 201

    # the bot stays quiet; the agent's reply arrives with the customer's next message (REST)
    during = texts(chat.say("thanks, it was due tomorrow"))
    assert during == ["sam (from our team): Hi, I'm Sam. Let me check the parcel for you."]
    _, detail = desk.call("GET", f"/api/handoffs/{mine['id']}")
    assert ("customer", "thanks, it was due tomorrow") in [(m["sender"], m["text"]) for m in detail["transcript"]]

    assert desk.call("POST", f"/api/handoffs/{mine['id']}/resolve", {"agent": "sam"})[0] == 200
    back = texts(chat.say("thank you!"))
    assert "I'm back" in back[0] and "You're welcome" in "\n".join(back)
    # the survey comes with the bot's "I'm back": CSAT, then CES, then the comment
    assert back[1].startswith("Before you go: how did we do today?")
    assert "It was easy to get my issue handled" in texts(chat.say("4"))[0]
    assert texts(chat.say("6"))[0].startswith("Thank you! Anything you'd like to add?")
    assert texts(chat.say("Sam was very kind")) == ["Thank you for your feedback, it helps us get better."]


def test_the_desk_api_needs_the_token(desk):
    assert desk.call("GET", "/api/handoffs", token="")[0] == 401
    assert desk.call("GET", "/api/handoffs", token="wrong-token-wrong-token")[0] == 401


def test_a_complaint_goes_to_a_person_with_high_priority(chat, desk):
    reply = chat.text("this is the worst service I've ever had, I'm furious")
    assert reply.startswith("I'm really sorry about this") and "passing you to a person" in reply
    _, listed = desk.call("GET", "/api/handoffs?status=queued")
    (mine,) = [h for h in listed["handoffs"] if h["conversation_id"] == chat.sender]
    assert mine["reason"] == "complaint" and mine["priority"] > 2


def test_the_issue_s_complaint_is_acknowledged_and_an_alert_reaches_the_on_call_webhook(bot_stack, oncall, desk):
    import json

    from bot.handoff.outbox import verify_signature
    from tests.integration.conftest import WEBHOOK_SECRET, RestChat

    reply = RestChat(bot_stack, sender="test-complaint-issue").text("this is the worst service ever, I want to complain")
    assert reply.startswith("I'm really sorry about this") and "passing you to a person" in reply
    # The desk passes new alerts to the outbox and sends it every 15 seconds.
    (call,) = oncall.wait_for(lambda body: b"test-complaint-issue" in body, timeout=90)
    headers, body = call
    assert verify_signature(body, headers.get("X-Signature"), WEBHOOK_SECRET,
                            headers.get("X-Signature-Timestamp"), headers.get("X-Delivery-Id"))
    alert = json.loads(body)["alert"]
    assert alert["kind"] == "complaint" and alert["conversation_id"] == "test-complaint-issue"
    assert alert["link"] == f"https://desk.example-shop.com/alerts/{alert['id']}"
    _, listed = desk.call("GET", "/api/alerts")
    mine = [a for a in listed["alerts"] if a["conversation_id"] == "test-complaint-issue"]
    assert [a["kind"] for a in mine] == ["complaint"]  # the angry words raise no second alert


def test_outside_hours_a_waiting_customer_is_answered_and_can_go_back_to_the_assistant(chat, desk):
    # The stack's clock is Monday 4am Pacific: the team is away.
    assert "isn't available right now" in chat.text("can I talk to a person please")
    waiting = chat.say("hello?")
    (reply,) = waiting
    assert "I've added that for our team" in reply["text"] and "when we open: today" in reply["text"]
    assert [b["payload"] for b in reply["buttons"]] == ["/back_to_assistant"]
    _, listed = desk.call("GET", "/api/handoffs?status=queued")
    (mine,) = [h for h in listed["handoffs"] if h["conversation_id"] == chat.sender]
    _, detail = desk.call("GET", f"/api/handoffs/{mine['id']}")
    assert ("customer", "hello?") in [(m["sender"], m["text"]) for m in detail["transcript"]]

    assert "rather go on with me" in chat.text("/back_to_assistant")
    assert "Order #100001 is on its way" in chat.text("where is order 100001? email maria.gonzalez@example.com")
    assert desk.call("GET", f"/api/handoffs/{mine['id']}")[1]["status"] == "resolved"
