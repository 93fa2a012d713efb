"""After thanks or goodbye the action asks "how did we do?" only when the session earned it."""
from __future__ import annotations

from actions.surveys import ActionOfferSurvey
from bot.reports.outcomes import record
from tests.support.action_helpers import make_tracker, run


def tracker_for(sender: str):
    tracker = make_tracker({}, form=None, intent="thank", text="thanks!")
    tracker.sender_id = sender
    return tracker


async def test_a_session_the_assistant_answered_is_asked_once(writable_shop):
    at = 1_780_000_000.0
    record("answered-chat", [{"event": "session_started", "timestamp": at},
                             {"event": "user", "timestamp": at + 1, "input_channel": "socketio"},
                             {"event": "action", "name": "action_order_status", "timestamp": at + 2}])
    _, messages, events = await run(ActionOfferSurvey(), tracker_for("answered-chat"))
    (asked,) = messages
    assert asked["text"].startswith("Before you go: how did we do today?") and events == []
    assert [b["payload"] for b in asked["buttons"]] == ["1", "2", "3", "4", "5", "skip"]
    assert (await run(ActionOfferSurvey(), tracker_for("answered-chat")))[1] == []  # never twice


async def test_nothing_is_said_without_an_answered_request_or_when_the_database_fails(writable_shop, monkeypatch):
    assert (await run(ActionOfferSurvey(), tracker_for("just-hello")))[1] == []

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr("bot.reports.surveys.offer_after_assistant", broken)
    assert (await run(ActionOfferSurvey(), tracker_for("just-hello")))[1] == []
