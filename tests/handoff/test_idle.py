"""A claimed handoff whose customer waits: the agents are reminded, then it goes back to the queue."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from bot.core.db import engine_for, session_scope
from bot.core.models import OutboxMessage
from bot.handoff import policy as hp
from bot.handoff import service as hs
from bot.handoff.idle import REMINDED, REQUEUED, check_idle
from tests.support.handoff_fixtures import OPEN_NOW, handoff_db  # noqa: F401 - fixture

CLAIMED = datetime.fromisoformat(OPEN_NOW)


def claimed(conversation: str = "idle-1") -> int:
    handoff_id = hs.create_handoff(conversation, "rest", [], hp.ASKED).id
    hs.claim(handoff_id, "sam")
    return handoff_id


def notes(handoff_id: int):
    return [m["text"] for m in hs.get_handoff(handoff_id)["transcript"] if m["sender"] == "bot"]


def at(minutes: float) -> datetime:
    return CLAIMED + timedelta(minutes=minutes)


def test_a_claimed_handoff_without_an_answer_reminds_once_then_goes_back_to_the_queue(handoff_db):
    handoff_id = claimed()
    assert check_idle(at(9)) == []
    (reminder,) = check_idle(at(10))
    assert (reminder.change, reminder.agent, reminder.waiting_minutes) == (REMINDED, "sam", 10)
    assert check_idle(at(11)) == []  # once per wait
    assert notes(handoff_id) == ["Reminder: the customer has been waiting 10 minutes for an answer from sam."]
    (requeued,) = check_idle(at(30))
    assert requeued.change == REQUEUED
    record = hs.get_handoff(handoff_id)
    assert (record["status"], record["agent"]) == ("queued", None)
    assert "Back in the queue: sam did not answer for 30 minutes" in notes(handoff_id)[-1]
    assert hs.claim(handoff_id, "kim")["agent"] == "kim"  # any agent can take it now


def test_the_customer_waits_only_after_writing_to_an_agent_who_answered(handoff_db, monkeypatch):
    handoff_id = claimed()
    hs.add_agent_message(handoff_id, "sam", "Hi, looking at it.")
    assert check_idle(at(45)) == []  # the agent answered: the customer's turn
    monkeypatch.setenv("SHOP_NOW", at(50).isoformat())
    hs.add_customer_message("idle-1", "any news?")
    assert check_idle(at(59)) == []
    (reminder,) = check_idle(at(60))
    assert reminder.waiting_minutes == 10


def test_a_requeued_handoff_waits_its_full_time_before_going_back_to_the_bot(handoff_db, monkeypatch):
    handoff_id = claimed()
    check_idle(at(40))  # queued again at +40 min
    monkeypatch.setenv("SHOP_NOW", at(70).isoformat())  # 70 min after it was created
    assert hs.return_unclaimed() == []
    monkeypatch.setenv("SHOP_NOW", at(101).isoformat())
    (returned,) = hs.return_unclaimed()
    assert returned.conversation_id == "idle-1" and hs.get_handoff(handoff_id)["status"] == "expired"


def test_with_a_webhook_the_reminder_goes_out_too(handoff_db, monkeypatch):
    monkeypatch.setenv("SHOP_HANDOFF_WEBHOOK_URL", "https://helpdesk.example.com/hooks/shop")
    handoff_id = claimed()
    check_idle(at(12))
    with session_scope(engine_for(handoff_db)) as session:
        bodies = [json.loads(json.loads(r.payload)["body"]) for r in session.query(OutboxMessage).all()]
    reminder = [b for b in bodies if b["event"] == "handoff.reminder"]
    assert reminder == [{"event": "handoff.reminder", "handoff": {
        "id": handoff_id, "conversation_id": "idle-1", "agent": "sam", "waiting_minutes": 12}}]


def test_the_requeue_time_must_come_after_the_reminder():
    import yaml

    from bot.core import settings
    from bot.profile.shop_profile import ProfileError, load_profile, parse_profile

    data = yaml.safe_load(open(settings.PROJECT_ROOT / "shop" / "profile.yml", encoding="utf-8"))
    data["handoff"].update(remind_idle_after_minutes=30, requeue_idle_after_minutes=20)
    with pytest.raises(ProfileError, match="requeue_idle_after_minutes: must be longer"):
        parse_profile(data, "profile.yml")
    assert load_profile().handoff.remind_idle_after_minutes == 10


def test_a_handoff_claimed_again_gives_its_new_agent_the_full_time(handoff_db, monkeypatch):
    handoff_id = claimed()
    hs.add_agent_message(handoff_id, "sam", "Looking into it.")
    monkeypatch.setenv("SHOP_NOW", at(2).isoformat())
    hs.add_customer_message("idle-1", "any news?")
    assert [c.change for c in check_idle(at(32))] == [REQUEUED]
    monkeypatch.setenv("SHOP_NOW", at(40).isoformat())
    hs.claim(handoff_id, "kim")
    assert check_idle(at(41)) == []  # sam's old wait is not kim's
    (reminder,) = check_idle(at(50))
    assert (reminder.change, reminder.agent) == (REMINDED, "kim")
