"""Survey answers in the channels: read before the bot sees the message, the next question
follows; a request instead is answered by the bot; a low CSAT raises an alert."""
from __future__ import annotations

import json
from typing import Any, Dict

from sqlalchemy import create_engine, select

from bot.core.models import OutboxMessage, Survey
from bot.desk.service import DeskService
from bot.handoff import alert_outbox
from bot.handoff import messages as hm
from bot.handoff import service as hs
from bot.reports import surveys
from bot.reports.outcomes import record
from channels.handoff_rest import HandoffRestInput
from tests.channels.test_handoff_channels import REST, agent_says, post
from tests.support.channel_server import FakeAgent, serving
from tests.support.handoff_fixtures import handoff_db  # noqa: F401 - fixture

CSAT = "Before you go: how did we do today? Reply with a number from 1 (poor) to 5 (excellent)."
COMMENT = "Thank you! Anything you'd like to add? Just type it, or tap Skip."


class ThankingAgent(FakeAgent):
    """Reads every message as thanks (a comment, not a request)."""

    async def parse_message(self, text: str) -> Dict[str, Any]:
        self.parsed.append(text)
        return {"text": text, "intent": {"name": "thank", "confidence": 0.9}}


def answered(conversation_id: str) -> None:
    at = 1_795_464_000.0
    record(conversation_id, [{"event": "session_started", "timestamp": at},
                             {"event": "user", "timestamp": at + 1, "input_channel": "rest",
                              "parse_data": {"intent": {"name": "order_status"}}},
                             {"event": "action", "name": "action_order_status", "timestamp": at + 2}])


def stored(url: str):
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(Survey.csat, Survey.ces, Survey.comment, Survey.step, Survey.trigger)).all()
        outbox = [json.loads(p) for (p,) in conn.execute(select(OutboxMessage.payload))]
    engine.dispose()
    return [tuple(r) for r in rows], outbox


async def test_the_assistant_s_survey_is_answered_in_the_channel_and_never_reaches_the_bot(handoff_db):
    answered("c1")
    assert surveys.offer_after_assistant("c1", "rest") is not None  # what the action does after thanks
    agent = ThankingAgent()
    async with serving([HandoffRestInput()], agent) as base:
        _, rating = await post(base, REST, {"sender": "c1", "message": "5"})
        _, comment = await post(base, REST, {"sender": "c1", "message": "Super quick, thank you"})
        _, after = await post(base, REST, {"sender": "c1", "message": "5"})
    assert rating == [{"recipient_id": "c1", "text": COMMENT, "buttons": [{"title": "Skip", "payload": "skip"}]}]
    assert comment == [{"recipient_id": "c1", "text": "Thank you for your feedback, it helps us get better."}]
    assert after == [{"recipient_id": "c1", "text": "echo: 5"}]  # the survey is over: the bot answers
    assert agent.handled == ["5"]
    assert stored(handoff_db)[0] == [(5, None, "Super quick, thank you", None, "assistant")]


async def test_a_request_typed_instead_of_a_rating_is_answered_by_the_bot(handoff_db):
    answered("c1")
    surveys.offer_after_assistant("c1", "rest")
    agent = FakeAgent()
    async with serving([HandoffRestInput()], agent) as base:
        _, body = await post(base, REST, {"sender": "c1", "message": "where is order 100002?"})
    assert body == [{"recipient_id": "c1", "text": "echo: where is order 100002?"}]
    assert stored(handoff_db)[0] == [(None, None, None, None, "assistant")]


async def test_after_a_resolved_handoff_the_customer_gets_csat_then_ces(handoff_db, monkeypatch):
    monkeypatch.setenv("SHOP_ALERT_WEBHOOK_URL", "https://oncall.example.com/alerts")
    handoff_id = agent_says("c1", "Your refund is on its way. Bye!")
    await DeskService().resolve(handoff_id, "sam")
    agent = ThankingAgent()
    async with serving([HandoffRestInput()], agent) as base:
        _, first = await post(base, REST, {"sender": "c1", "message": "ok thanks"})
        _, ces = await post(base, REST, {"sender": "c1", "message": "2"})
        _, comment = await post(base, REST, {"sender": "c1", "message": "3"})
        _, done = await post(base, REST, {"sender": "c1", "message": "skip"})
    # The question is handed out with the agent's last words; the message that carried them is
    # not taken for its answer (the customer had not seen the question yet).
    assert [m["text"] for m in first] == ["sam (from our team): Your refund is on its way. Bye!",
                                          hm.resumed_text(), CSAT, "echo: ok thanks"]
    assert "custom" not in first[2]  # the bot's words, not an agent's
    assert [b["payload"] for b in first[2]["buttons"]] == ["1", "2", "3", "4", "5", "skip"]  # as buttons too
    assert "It was easy to get my issue handled" in ces[0]["text"]
    assert [b["payload"] for b in ces[0]["buttons"]] == ["1", "2", "3", "4", "5", "6", "7", "skip"]
    assert comment[0]["text"] == COMMENT
    assert done[0]["text"] == "No problem. If you need anything else, just ask."
    assert agent.handled == ["ok thanks"]
    rows, _ = stored(handoff_db)
    assert rows == [(2, 3, None, None, "handoff")]
    assert alert_outbox.pass_on_raised() == 1  # the desk's outbox job
    _, outbox = stored(handoff_db)
    alerts = [json.loads(r["body"])["alert"] for r in outbox if r["url"] == "https://oncall.example.com/alerts"]
    assert [(a["kind"], a["details"]["csat"], a["conversation_id"], a["handoff_id"]) for a in alerts] == [
        ("low_csat", 2, "c1", handoff_id)]
    assert "rated us 2 out of 5 after an agent resolved their handoff" in alerts[0]["text"]


async def test_a_resolution_asks_once_per_session(handoff_db):
    first = agent_says("c1", "Done!")
    await DeskService().resolve(first, "sam")
    second = agent_says("c1", "Done again!")
    await DeskService().resolve(second, "sam")
    questions = [m for h in (first, second) for m in hs.get_handoff(h)["transcript"] if m["text"] == CSAT]
    assert len(questions) == 1


def test_a_survey_question_from_the_team_s_queue_keeps_its_buttons_in_the_widget(handoff_db):
    from channels.handoff_gate import socket_message

    pushed = socket_message(CSAT)
    assert "metadata" not in pushed  # the bot's words, not an agent's
    assert [r["payload"] for r in pushed["quick_replies"]] == ["1", "2", "3", "4", "5", "skip"]
    assert "quick_replies" not in socket_message("Hi, this is Sam. All sorted!")
