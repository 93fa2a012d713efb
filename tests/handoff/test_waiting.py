"""While a customer waits for a person: every message answered, a way back, no endless wait."""
from __future__ import annotations

from bot.handoff import messages as hm
from bot.handoff import policy as hp
from bot.handoff import service as hs
from bot.handoff.waiting import BACK_BUTTON, wants_the_assistant
from tests.support.handoff_fixtures import handoff_db  # noqa: F401 - fixture

CLOSED_NOW = "2026-11-24T05:00:00"  # Monday 9pm Pacific: the team is back Tuesday at 9am


def customer_lines(handoff_id):
    return [m["text"] for m in hs.get_handoff(handoff_id)["transcript"] if m["sender"] == "customer"]


def test_in_hours_a_queued_customer_hears_their_place_and_the_way_back(handoff_db):
    hs.create_handoff("a", "rest", [], hp.ASKED)
    second = hs.create_handoff("b", "rest", [], hp.ASKED).id
    held = hs.hold("b", "hello?", "greet", 0.9)
    assert "You're number 2 in line" in held.reply or "You're next in line" in held.reply
    assert "Talk to the assistant" in held.reply and held.buttons == [BACK_BUTTON] and not held.released
    assert customer_lines(second) == ["hello?"]


def test_outside_hours_the_answer_says_when_and_how_the_team_answers(handoff_db, monkeypatch):
    monkeypatch.setenv("SHOP_NOW", CLOSED_NOW)
    handoff_id = hs.create_handoff("c", "rest", [], hp.ASKED).id
    first = hs.hold("c", "hello?")
    assert "We're closed right now; someone will reply when we open: tomorrow" in first.reply
    assert "9am" in first.reply and "Leave your email address" in first.reply
    second = hs.hold("c", "it's olga.petrova@example.com")
    assert "someone will email you at olga.petrova@example.com when we open" in second.reply
    assert hs.get_handoff(handoff_id)["customer_email"] == "olga.petrova@example.com"


def test_once_an_agent_has_it_the_bot_adds_nothing(handoff_db):
    handoff_id = hs.create_handoff("d", "rest", [], hp.ASKED).id
    hs.claim(handoff_id, "sam")
    held = hs.hold("d", "talk to the assistant")
    assert held.reply is None and not held.released  # with an agent, the words are for them
    assert customer_lines(handoff_id) == ["talk to the assistant"]


def test_the_way_back_closes_the_handoff_and_leaves_a_note_for_the_agents(handoff_db):
    handoff_id = hs.create_handoff("e", "rest", [], hp.ASKED).id
    held = hs.hold("e", "Talk to the assistant!")
    assert held.released and held.reply == hm.released_text()
    assert hs.open_handoff_for("e") is None and hs.get_handoff(handoff_id)["status"] == "resolved"
    assert hs.take_undelivered_agent_messages("e") == []  # the note is for the agents only
    assert any("went back to the assistant" in m["text"] for m in hs.get_handoff(handoff_id)["transcript"])
    assert hs.hold("e", "hello") is None  # no handoff any more: the bot answers


def test_the_words_that_mean_back_to_the_assistant():
    assert wants_the_assistant("/back_to_assistant") and wants_the_assistant("  Back to the bot. ")
    assert not wants_the_assistant("my order never arrived, can I talk to the assistant manager?")
    assert not wants_the_assistant(None)


def test_an_unclaimed_handoff_returns_to_the_bot_with_an_apology_read_first(handoff_db, monkeypatch):
    waiting = hs.create_handoff("f", "rest", [], hp.ASKED).id
    claimed = hs.create_handoff("g", "rest", [], hp.ASKED).id
    hs.claim(claimed, "sam")
    assert hs.return_unclaimed() == []  # not yet: the profile says 60 minutes
    monkeypatch.setenv("SHOP_NOW", "2026-11-23T21:01:00")
    (returned,) = hs.return_unclaimed()
    assert returned.conversation_id == "f" and "nobody from our team could pick up" in returned.text
    assert hs.get_handoff(waiting)["status"] == "expired" and hs.open_handoff_for("g") == claimed
    assert hs.take_undelivered_agent_messages("f") == [returned.text]  # first thing they read
    assert hs.return_unclaimed() == []


def test_outside_hours_the_apology_promises_the_email(handoff_db, monkeypatch):
    monkeypatch.setenv("SHOP_NOW", CLOSED_NOW)
    hs.create_handoff("h", "rest", [], hp.ASKED, customer_email="li.wei@example.com")
    monkeypatch.setenv("SHOP_NOW", "2026-11-24T06:30:00")
    (returned,) = hs.return_unclaimed()
    assert "someone will email you at li.wei@example.com when we open: tomorrow, Tuesday" in returned.text
