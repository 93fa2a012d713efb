"""The handoff actions with real trackers: the reason the agent sees, and what the customer reads."""
from __future__ import annotations

from actions.handoff import ActionDefaultFallback, ActionHandoff
from bot.handoff import service as handoff_service
from tests.support.action_helpers import make_tracker, run


def user(text, intent):
    return {"event": "user", "text": text, "timestamp": 1.0,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def tracker_with(slots, intent, text, history=()):
    tracker = make_tracker(slots, form=None, intent=intent, text=text)
    tracker.events = list(history) + [user(text, intent)]
    return tracker


async def test_asking_for_a_person_queues_a_handoff_with_the_transcript(writable_shop):
    history = [user("where is order 100001", "order_status"),
               {"event": "bot", "text": "Order #100001 is on its way.", "timestamp": 1.0}]
    tracker = tracker_with({"verified_orders": ["100001"], "verified_customer_id": "1"},
                           "human_handoff", "can I talk to a person", history)
    _, messages, _ = await run(ActionHandoff(), tracker)
    assert "passing you to a person" in messages[0]["text"]
    (queued,) = handoff_service.list_handoffs("queued")
    detail = handoff_service.get_handoff(queued["id"])
    assert queued["reason"] == "asked_for_person" and detail["verified"]
    said = [(m["sender"], m["text"]) for m in detail["transcript"]]
    assert ("customer", "where is order 100001") in said and ("bot", "Order #100001 is on its way.") in said


async def test_more_help_after_a_refused_return_is_flagged_for_the_agent(writable_shop):
    tracker = tracker_with({"last_outcome": "return_ineligible"}, "human_handoff", "I still want to return it")
    await run(ActionHandoff(), tracker)
    (queued,) = handoff_service.list_handoffs("queued")
    assert queued["reason"] == "return_ineligible"


async def test_a_complaint_gets_the_highest_priority(writable_shop):
    await run(ActionHandoff(), tracker_with({}, "complaint", "worst service ever"))
    (queued,) = handoff_service.list_handoffs("queued")
    assert queued["reason"] == "complaint" and queued["priority"] == 4


async def test_the_second_miss_hands_over_and_reverts_the_message(writable_shop):
    _, messages, events = await run(ActionDefaultFallback(), tracker_with({}, "nlu_fallback", "blorp"))
    assert messages[0]["response"] == "utter_default" and "passing you to a person" in messages[1]["text"]
    assert events[-1]["event"] == "rewind"
    assert handoff_service.list_handoffs("queued")[0]["reason"] == "not_understood"


async def test_asking_twice_never_opens_a_second_handoff(writable_shop):
    for _ in range(2):
        await run(ActionHandoff(), tracker_with({}, "human_handoff", "agent please"))
    assert len(handoff_service.list_handoffs("open")) == 1
