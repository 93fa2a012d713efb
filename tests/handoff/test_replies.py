"""Messages from the team on their way to the customer: leased so no two senders send one at
once, delivered only when settled so, retried with backoff, REST left for the next message."""
from __future__ import annotations

from datetime import datetime, timedelta

from bot.handoff import policy as hp
from bot.handoff import replies
from bot.handoff import service as hs
from tests.support.handoff_fixtures import OPEN_NOW, handoff_db  # noqa: F401 - fixture

NOW = datetime.fromisoformat(OPEN_NOW)


def agent_message(conversation: str = "telegram:1", channel: str = "telegram", text: str = "hi") -> int:
    handoff_id = hs.create_handoff(conversation, channel, [], hp.ASKED).id
    return hs.add_agent_message(handoff_id, "sam", text)["id"]


def delivery(conversation: str = "telegram:1"):
    handoff = hs.get_handoff(hs.open_handoff_for(conversation))
    (line,) = [m for m in handoff["transcript"] if m["sender"] == "agent"]
    return line["delivered_at"], line["delivery"]


def test_a_new_reply_is_pending_until_a_channel_took_it(handoff_db):
    message_id = agent_message()
    assert delivery()[1]["status"] == "pending"
    reply = replies.claim_message(message_id, NOW)
    assert reply is not None and reply.text == "sam (from our team): hi" and reply.channel == "telegram"
    assert delivery()[0] is None  # claimed is not delivered
    replies.settle(message_id, now=NOW)
    assert delivery()[0] is not None and delivery()[1]["status"] == "delivered"
    assert replies.claim_message(message_id, NOW) is None and replies.claim_due(NOW) == []


def test_a_leased_reply_is_not_sent_twice_at_once(handoff_db):
    message_id = agent_message()
    assert replies.claim_message(message_id, NOW) is not None
    assert replies.claim_message(message_id, NOW) is None  # the desk is sending it
    assert replies.claim_for("telegram:1", NOW) == []  # so the channel leaves it too
    assert replies.claim_due(NOW + replies.LEASE + timedelta(seconds=1))  # a sender that died


def test_a_failed_try_backs_off_then_is_due_again(handoff_db):
    message_id = agent_message()
    replies.claim_message(message_id, NOW)
    replies.settle(message_id, "telegram did not take the message: chat not found", now=NOW)
    assert delivery()[1] == {"status": "failed", "attempts": 1,
                             "detail": "telegram did not take the message: chat not found"}
    assert replies.claim_due(NOW + timedelta(seconds=29)) == []
    (again,) = replies.claim_due(NOW + timedelta(seconds=31))
    assert again.message_id == message_id
    replies.settle(message_id, "still down", now=NOW + timedelta(seconds=31))
    assert replies.claim_due(NOW + timedelta(seconds=90)) == []  # the second wait is longer
    assert replies.claim_due(NOW + timedelta(seconds=92))


def test_a_closed_widget_is_waiting_not_failed(handoff_db):
    message_id = agent_message("sid-1", "socketio")
    replies.claim_message(message_id, NOW)
    replies.settle(message_id, "the chat window is closed", failed=False, now=NOW)
    assert delivery("sid-1")[1]["status"] == "pending"
    assert replies.take_for("sid-1") == ["sam (from our team): hi"]  # shown when they are back
    assert delivery("sid-1")[0] is not None


def test_rest_replies_are_not_pushed_but_go_with_the_next_message(handoff_db):
    message_id = agent_message("rest-1", "rest")
    assert replies.claim_message(message_id, NOW) is None and replies.claim_due(NOW) == []
    assert "next message" in delivery("rest-1")[1]["detail"]
    assert hs.take_undelivered_agent_messages("rest-1") == ["sam (from our team): hi"]


def test_pushes_stop_after_a_week(handoff_db):
    agent_message()
    assert replies.claim_due(NOW + replies.MAX_AGE + timedelta(minutes=1)) == []


def test_a_delivered_reply_is_never_leased_again_by_a_sender_that_read_it_just_before(handoff_db):
    from bot.handoff.store import scope

    message_id = agent_message()
    (reply,) = replies.claim_for("telegram:1", NOW)  # the channel hands it out...
    replies.settle(message_id, now=NOW)  # ...and it went
    with scope() as session:  # the desk read it as undelivered a moment before: its lease fails
        assert replies._lease(session, message_id, NOW + replies.LEASE, due_only=False) == 0
    assert replies.claim_message(message_id, NOW + replies.LEASE) is None


def test_a_late_failure_of_an_expired_claim_does_not_undo_the_current_one(handoff_db):
    message_id = agent_message()
    first = replies.claim_message(message_id, NOW)
    later = NOW + replies.LEASE + timedelta(seconds=1)
    (second,) = replies.claim_due(later)  # the first sender's lease ran out
    replies.settle(message_id, "timed out", now=later, attempt=first.attempt)  # ignored
    assert replies.claim_message(message_id, later) is None  # still leased to the second
    replies.settle(message_id, now=later, attempt=second.attempt)
    assert delivery()[1]["status"] == "delivered"
