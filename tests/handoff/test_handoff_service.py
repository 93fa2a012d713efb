"""The handoff calls the actions and the desk make, on a fresh database per test."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bot.core.models import Handoff, HandoffMessage, OutboxMessage
from bot.handoff import messages as hm
from bot.handoff import policy as hp
from bot.handoff import service as hs
from tests.support.handoff_fixtures import bot, handoff_db, user  # noqa: F401 - fixture

EVENTS = [
    user("where is order 100001?", "order_status", 0.93),
    bot("Please give me the email on the order.",
        [{"title": "Talk to a person", "payload": "/human_handoff"}]),
    user("my card is 4111 1111 1111 1111, password is hunter2", "inform", 0.41),
    user("/human_handoff", "human_handoff", 1.0),
]


def count(url, model) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()
    engine.dispose()
    return n


def test_a_handoff_carries_the_masked_transcript_summary_and_context(handoff_db):
    ticket = hs.create_handoff("conv-1", "rest", EVENTS, hp.ASKED,
                               slots={"order_number": "#100001", "verified_orders": ["100001"],
                                      "verified_customer_id": "1"})
    assert (ticket.position, ticket.within_hours, ticket.existing) == (1, True, False)
    assert "You're next in line" in ticket.message
    record = hs.get_handoff(ticket.id)
    assert record["status"] == "queued" and record["priority"] == hp.priority_for(hp.ASKED)
    assert record["verified"] is True and record["customer_email"] == "maria.gonzalez@example.com"
    assert record["order_numbers"] == ["100001"]
    assert [(m["sender"], m["text"]) for m in record["transcript"]] == [
        ("customer", "where is order 100001?"),
        ("bot", "Please give me the email on the order.\n[buttons: Talk to a person]"),
        ("customer", "my card is •••• •••• •••• 1111, password is [hidden]"),
        ("customer", "Talk to a person"),
    ]
    assert record["transcript"][0]["intent"] == "order_status"
    assert record["transcript"][0]["at"] == "2026-11-23T20:00:00Z"
    assert "Order: 100001 (verified)." in record["summary"]
    assert {o["number"] for o in record["context"]} == {"100001", "100006"}  # all of Maria's
    assert all(o["total"].startswith("$") and o["status"] for o in record["context"])
    assert hs.open_handoff_for("conv-1") == ticket.id and hs.open_handoff_for("conv-2") is None


def test_a_conversation_never_has_two_open_handoffs(handoff_db):
    first = hs.create_handoff("conv-1", "rest", EVENTS, hp.ASKED)
    again = hs.create_handoff("conv-1", "socketio", [user("hello??", "complaint", 0.9)], hp.COMPLAINT)
    assert again.id == first.id and again.existing
    assert count(handoff_db, Handoff) == 1
    hs.resolve(first.id, "sam")
    later = hs.create_handoff("conv-1", "rest", [], hp.ASKED)
    assert later.id != first.id and not later.existing


def test_an_unverified_customer_gets_no_order_context(handoff_db):
    ticket = hs.create_handoff("conv-1", "rest", [], hp.VERIFICATION_FAILED, customer_id=1,
                               order_numbers=["100001"])
    record = hs.get_handoff(ticket.id)
    assert record["context"] == [] and record["verified"] is False
    assert record["customer_email"] is None


def test_queue_is_most_urgent_first_then_longest_waiting(handoff_db, monkeypatch):
    monkeypatch.setenv("SHOP_NOW", "2026-11-23T20:00:00")
    asked = hs.create_handoff("a", "rest", [], hp.ASKED)
    monkeypatch.setenv("SHOP_NOW", "2026-11-23T20:01:00")
    fallback = hs.create_handoff("b", "rest", [], hp.NOT_UNDERSTOOD)
    monkeypatch.setenv("SHOP_NOW", "2026-11-23T20:02:00")
    upset = hs.create_handoff("c", "rest", [], hp.COMPLAINT)
    monkeypatch.setenv("SHOP_NOW", "2026-11-23T20:03:00")
    asked_too = hs.create_handoff("d", "rest", [], hp.ASKED)
    queue = hs.list_handoffs("queued")
    assert [h["id"] for h in queue] == [upset.id, asked.id, asked_too.id, fallback.id]
    assert [h["position"] for h in queue] == [1, 2, 3, 4]
    assert asked_too.position == 3 and upset.position == 1
    assert queue[1]["waiting_minutes"] == 3
    hs.claim(upset.id, "sam")
    assert [h["id"] for h in hs.list_handoffs("assigned")] == [upset.id]
    assert len(hs.list_handoffs()) == 4 and len(hs.list_handoffs("open")) == 4
    with pytest.raises(hs.HandoffInputError, match="unknown status 'later'"):
        hs.list_handoffs("later")


def test_outside_hours_the_ticket_says_when_they_will_hear_back(handoff_db, monkeypatch):
    monkeypatch.setenv("SHOP_NOW", "2026-11-23T12:00:00")  # Monday 4am in Los Angeles
    ticket = hs.create_handoff("conv-1", "rest", [], hp.ASKED)
    assert not ticket.within_hours
    assert ticket.expected_wait_minutes >= 5 * 60  # opens at 9am shop time
    assert "when we open: today, Monday, November 23, at 9am Pacific time" in ticket.message
    assert "What's your email address" in ticket.message


def test_claim_resolve_and_the_errors_the_desk_turns_into_404_and_409(handoff_db):
    ticket = hs.create_handoff("conv-1", "rest", EVENTS, hp.ASKED)
    claimed = hs.claim(ticket.id, "sam")
    assert claimed["status"] == "assigned" and claimed["agent"] == "sam"
    assert hs.claim(ticket.id, "sam")["status"] == "assigned"  # claiming your own again is fine
    with pytest.raises(hs.HandoffStateError, match="already assigned to sam"):
        hs.claim(ticket.id, "alex")
    resolved = hs.resolve(ticket.id, "sam")
    assert resolved["status"] == "resolved" and resolved["resolved_at"] == "2026-11-23T20:00:00Z"
    assert hs.open_handoff_for("conv-1") is None
    with pytest.raises(hs.HandoffStateError, match="already resolved"):
        hs.resolve(ticket.id, "sam")
    with pytest.raises(hs.HandoffStateError, match="already resolved"):
        hs.claim(ticket.id, "alex")
    with pytest.raises(hs.HandoffStateError):
        hs.add_agent_message(ticket.id, "sam", "one more thing")
    for call in (lambda: hs.claim(999, "sam"), lambda: hs.resolve("x", "sam"),
                 lambda: hs.add_agent_message(999, "sam", "hi")):
        with pytest.raises(hs.HandoffNotFound):
            call()
    assert hs.get_handoff(999) is None
    with pytest.raises(hs.HandoffInputError):
        hs.claim(ticket.id, "  ")


def test_messages_both_ways_and_agent_replies_delivered_once(handoff_db):
    ticket = hs.create_handoff("conv-1", "rest", EVENTS, hp.ASKED)
    assert hs.add_customer_message("conv-2", "anyone?") is None  # no open handoff there
    waiting = hs.add_customer_message("conv-1", "still there? cvv 123", "affirm", 0.8)
    sent = hs.add_agent_message(ticket.id, "sam", "Hi, I'm Sam. Let me look.")
    assert hs.get_handoff(ticket.id)["agent"] == "sam"  # replying claims a queued handoff
    assert sent["conversation_id"] == "conv-1" and sent["channel"] == "rest"
    assert sent["customer_text"] == "sam (from our team): Hi, I'm Sam. Let me look."
    with pytest.raises(hs.HandoffStateError, match="assigned to sam"):
        hs.add_agent_message(ticket.id, "alex", "me too")
    with pytest.raises(hs.HandoffInputError):
        hs.add_agent_message(ticket.id, "sam", "   ")
    hs.add_agent_message(ticket.id, "sam", "Found it.")
    assert hs.take_undelivered_agent_messages("conv-1") == [
        "sam (from our team): Hi, I'm Sam. Let me look.", "sam (from our team): Found it."]
    assert hs.take_undelivered_agent_messages("conv-1") == []
    new = hs.get_messages(ticket.id, after_id=waiting - 1)
    assert [(m["sender"], m["text"]) for m in new][:2] == [
        ("customer", "still there? cvv [hidden]"), ("agent", "Hi, I'm Sam. Let me look.")]
    assert all(m["delivered_at"] for m in new if m["sender"] == "agent")
    assert hs.add_bot_message("conv-1", "(the bot stays quiet)") is not None


def test_a_reply_sent_just_before_resolving_still_reaches_the_customer(handoff_db):
    ticket = hs.create_handoff("conv-1", "rest", [], hp.ASKED)
    pushed = hs.add_agent_message(ticket.id, "sam", "Pushed over the socket")
    hs.settle_reply(pushed["id"])  # the widget showed it (bot/handoff/replies.py)
    hs.add_agent_message(ticket.id, "sam", "All done, bye!")
    hs.resolve(ticket.id, "sam")
    assert hs.add_customer_message("conv-1", "thanks") is None  # the bot is back
    assert hs.take_undelivered_agent_messages("conv-1") == ["sam (from our team): All done, bye!",
                                                             hm.resumed_text()]
    assert hs.take_undelivered_agent_messages("conv-1") == []  # once


def test_stale_handoffs_expire(handoff_db, monkeypatch):
    old = hs.create_handoff("old", "rest", [], hp.ASKED)
    busy = hs.create_handoff("busy", "rest", [], hp.ASKED)
    monkeypatch.setenv("SHOP_NOW", "2026-11-23T21:00:00")
    hs.add_customer_message("busy", "hello?")
    monkeypatch.setenv("SHOP_NOW", "2026-11-23T21:30:00")
    assert hs.expire_stale(60) == 1
    assert hs.get_handoff(old.id)["status"] == "expired"
    assert hs.get_handoff(busy.id)["status"] == "queued"
    with pytest.raises(hs.HandoffStateError, match="already expired"):
        hs.claim(old.id, "sam")
    monkeypatch.setenv("SHOP_NOW", "2026-11-27T00:00:00")
    assert hs.expire_stale() == 1  # the profile's 72 hours


def test_bad_input_is_a_clear_error_and_no_webhook_without_configuration(handoff_db):
    with pytest.raises(hs.HandoffInputError, match="conversation_id must not be empty"):
        hs.create_handoff(" ", "rest", [], hp.ASKED)
    hs.create_handoff("conv-1", "rest", [{"event": "user"}, 42], hp.ASKED, customer_id="abc")
    assert count(handoff_db, OutboxMessage) == 0
    assert count(handoff_db, HandoffMessage) == 0


def test_the_database_refuses_a_second_open_handoff_even_in_a_race(handoff_db, monkeypatch):
    first = hs.create_handoff("conv-1", "rest", [], hp.ASKED)
    real, calls = hs.open_for, []

    def misses_once(session, conversation_id):  # as if another request had not committed yet
        calls.append(conversation_id)
        return None if len(calls) == 1 else real(session, conversation_id)

    monkeypatch.setattr(hs, "open_for", misses_once)
    again = hs.create_handoff("conv-1", "rest", EVENTS, hp.COMPLAINT)
    assert again.id == first.id and again.existing and len(calls) == 2
    assert count(handoff_db, Handoff) == 1 and count(handoff_db, HandoffMessage) == 0


def test_an_email_the_customer_gives_during_the_handoff_is_kept_on_it(handoff_db):
    ticket = hs.create_handoff("conv-mail", "rest", [], "asked_for_person")
    hs.add_customer_message("conv-mail", "sure, it's Jo.Doe@Example.com")
    assert hs.get_handoff(ticket.id)["customer_email"] == "jo.doe@example.com"


def test_a_complaint_is_acknowledged_first_and_raises_an_alert_for_the_on_call_webhook(handoff_db, monkeypatch):
    import json

    from bot.core.models import Alert
    from bot.handoff import alert_outbox

    monkeypatch.setenv("SHOP_ALERT_WEBHOOK_URL", "https://oncall.example.com/alerts")
    monkeypatch.setenv("SHOP_DESK_URL", "https://desk.example-shop.com/")
    ticket = hs.create_handoff("conv-9", "rest", [user("this is the worst service ever", "complaint", 0.9)],
                               hp.COMPLAINT, order_numbers=["100001"])
    assert ticket.message.startswith("I'm really sorry about this") and "passing you to a person" in ticket.message
    (alert,) = rows_of(handoff_db, Alert)
    assert (alert.kind, alert.handoff_id, alert.conversation_id, alert.order_number) == (
        "complaint", ticket.id, "conv-9", "100001")
    assert alert_outbox.pass_on_raised() == 1 and alert_outbox.pass_on_raised() == 0  # passed on once
    engine = create_engine(handoff_db)
    with engine.connect() as conn:
        rows = [json.loads(p) for (p,) in conn.execute(select(OutboxMessage.payload))]
    engine.dispose()
    alerts = [r for r in rows if r["url"] == "https://oncall.example.com/alerts"]
    assert len(alerts) == 1
    body = json.loads(alerts[0]["body"])
    assert body["event"] == "alert.raised" and body["alert"]["kind"] == "complaint"
    assert body["alert"]["handoff_id"] == ticket.id and body["alert"]["conversation_id"] == "conv-9"
    assert body["alert"]["link"] == f"https://desk.example-shop.com/alerts/{alert.id}"
    assert body["alert"]["handoff_link"] == f"https://desk.example-shop.com/handoffs/{ticket.id}"
    assert body["alert"]["text"] == f"A complaint, handed to the team as handoff #{ticket.id}: \u201cthis is the worst service ever\u201d"
    again = hs.create_handoff("conv-9", "rest", [], hp.COMPLAINT)  # the same open handoff: no second alert
    assert again.existing and not again.message.startswith("I'm really sorry")
    assert len(rows_of(handoff_db, Alert)) == 1 and count(handoff_db, OutboxMessage) == len(rows)


def test_other_handoffs_raise_no_alert(handoff_db, monkeypatch):
    from bot.core.models import Alert

    monkeypatch.setenv("SHOP_ALERT_WEBHOOK_URL", "https://oncall.example.com/alerts")
    ticket = hs.create_handoff("conv-10", "rest", [], hp.ASKED)
    assert not ticket.message.startswith("I'm really sorry") and count(handoff_db, OutboxMessage) == 0
    assert rows_of(handoff_db, Alert) == []


def rows_of(url, model):
    engine = create_engine(url)
    with Session(engine) as session:
        rows = session.execute(select(model)).scalars().all()
    engine.dispose()
    return rows
