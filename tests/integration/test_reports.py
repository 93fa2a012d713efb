"""Conversations on the running servers become outcomes in the desk's support summary."""
from __future__ import annotations

from datetime import datetime, timezone

from tests.integration.conftest import RestChat


def test_a_rest_conversation_is_counted_resolved_in_the_summary(bot_stack, desk):
    today = datetime.now(timezone.utc).date().isoformat()  # sessions are dated by their events
    path = f"/api/reports/summary?from={today}&to={today}&channel=rest"
    before = desk.call("GET", path)[1]
    chat = RestChat(bot_stack, sender="test-reports-resolved")
    assert "standard" in chat.text("what shipping options do you have?").lower()
    status, after = desk.call("GET", path)
    assert status == 200
    assert after["conversations"] == before["conversations"] + 1
    assert after["outcomes"]["resolved"] == before["outcomes"]["resolved"] + 1
    assert 0 < after["containment_rate"] <= 1


def _today_summary(desk):
    today = datetime.now(timezone.utc).date().isoformat()
    return desk.call("GET", f"/api/reports/summary?from={today}&to={today}")[1]


def test_the_issue_s_rating_after_thanks_is_stored_and_counted(bot_stack, desk):
    before = _today_summary(desk)
    chat = RestChat(bot_stack, sender="test-survey-rating")
    assert "Order #100001" in chat.text("track order 100001, email maria.gonzalez@example.com")
    closing = chat.say("thanks, that's all")
    question = closing[-1]
    assert question["text"].startswith("Before you go: how did we do today?")
    assert [b["payload"] for b in question["buttons"]] == ["1", "2", "3", "4", "5", "skip"]
    assert chat.say("5")[0]["text"].startswith("Thank you! Anything you'd like to add?")
    assert chat.text("skip") == "No problem. If you need anything else, just ask."
    after = _today_summary(desk)
    assert after["csat_responses"] == before["csat_responses"] + 1
    assert after["csat_distribution"]["5"] == before["csat_distribution"]["5"] + 1
    # the survey is over: the next "5" is an ordinary message again, and there is no second survey
    assert not chat.text("thank you").startswith("Before you go")


def test_a_request_typed_instead_of_a_rating_is_answered(bot_stack):
    chat = RestChat(bot_stack, sender="test-survey-request")
    chat.say("track order 100001, email maria.gonzalez@example.com")
    assert chat.say("thanks")[-1]["text"].startswith("Before you go")
    answer = chat.text("what shipping options do you have?")
    assert "Standard" in answer and "Before you go" not in answer


def test_no_survey_when_the_assistant_answered_nothing(bot_stack):
    chat = RestChat(bot_stack, sender="test-survey-none")
    chat.say("hello")
    assert "Before you go" not in chat.text("thanks, bye")
