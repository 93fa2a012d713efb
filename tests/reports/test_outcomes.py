"""Each conversation session's outcome, added up from its events as they are saved, and the
summary figures over a date range."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.core.db import engine_for, session_scope
from bot.core.models import ConversationOutcome
from bot.reports.outcomes import record, tally
from bot.reports.summary import ReportRangeError, parse_range, summary

DAY = 1_780_000_000.0  # 2026-05-28 20:26:40 UTC


def start(at):
    return [{"event": "action", "name": "action_session_start", "timestamp": at},
            {"event": "session_started", "timestamp": at + 0.1},
            {"event": "action", "name": "action_listen", "timestamp": at + 0.2}]


def says(at, intent, channel="rest"):
    return {"event": "user", "text": "...", "timestamp": at, "input_channel": channel,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def runs(at, name):
    return {"event": "action", "name": name, "timestamp": at}


@pytest.fixture
def engine(tmp_path):
    engine = engine_for(f"sqlite:///{tmp_path / 'shop.db'}")
    ConversationOutcome.__table__.create(engine)
    return engine


def rows(engine):
    with session_scope(engine) as s:
        return [(r.conversation_id, r.outcome, r.customer_messages, r.fallbacks, json.loads(r.flows))
                for r in s.execute(select(ConversationOutcome).order_by(ConversationOutcome.id)).scalars()]


def test_outcomes_are_added_up_over_saves_and_each_session_gets_its_own(engine):
    record("c1", start(DAY) + [says(DAY + 1, "greet"), runs(DAY + 2, "utter_greet")], engine)
    assert rows(engine) == [("c1", "abandoned", 1, 0, [])]
    record("c1", [says(DAY + 3, "order_status"), runs(DAY + 4, "order_status_form")], engine)
    record("c1", [says(DAY + 5, "inform"), runs(DAY + 6, "action_order_status")], engine)
    assert rows(engine) == [("c1", "resolved", 3, 0, ["order_status_form", "action_order_status"])]
    # an hour later: a new session, not understood, then handed over
    record("c1", start(DAY + 4000) + [says(DAY + 4001, "nlu_fallback"), runs(DAY + 4002, "action_default_fallback")],
           engine)
    assert rows(engine)[1] == ("c1", "not_understood", 1, 1, [])
    record("c1", [says(DAY + 4003, "human_handoff"), runs(DAY + 4004, "action_handoff")], engine)
    assert rows(engine)[1] == ("c1", "handed_over", 2, 1, ["action_handoff"])
    assert rows(engine)[0][1] == "resolved"  # the first session is left as it was


def test_a_session_without_a_customer_message_is_not_counted(engine):
    record("c2", start(DAY), engine)
    assert rows(engine) == []
    record("c2", [says(DAY + 1, "greet")], engine)  # the next save: counted from then on
    assert [r[1] for r in rows(engine)] == ["abandoned"]


def test_a_batch_can_end_one_session_and_start_the_next():
    parts = tally([says(DAY, "greet"), *start(DAY + 4000), says(DAY + 4001, "faq"), runs(DAY + 4002, "utter_faq")])
    assert [(p.customer_messages, p.answered, p.started_at is not None) for p in parts] == [
        (1, False, False), (1, True, True)]


def test_rasa_s_session_start_events_begin_the_new_session_s_row(engine):
    record("c3", start(DAY) + [says(DAY + 1, "faq"), runs(DAY + 2, "utter_faq")], engine)
    later = DAY + 4000
    record("c3", [{"event": "slot", "name": "session_started_metadata", "value": {}, "timestamp": later},
                  *start(later), says(later + 1, "greet")], engine)
    with session_scope(engine) as s:
        first, second = s.execute(select(ConversationOutcome).order_by(ConversationOutcome.id)).scalars().all()
        assert first.last_event_at == datetime(2026, 5, 28, 20, 26, 42)  # not moved to the next session
        assert (first.outcome, second.outcome) == ("resolved", "abandoned")


def test_a_handoff_opened_by_another_action_counts_as_handed_over(tmp_path, monkeypatch):
    from bot.handoff import service as handoff_service
    from tests.support.fresh_shop import fresh_shop

    url = f"sqlite:///{tmp_path / 'full.db'}"
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    fresh_shop(url)
    # e.g. the second "didn't get that" in a row hands over from action_default_fallback
    record("c4", start(DAY) + [says(DAY + 1, "nlu_fallback"), runs(DAY + 2, "action_default_fallback")])
    handoff_service.create_handoff("c4", "rest", [], "not_understood")
    record("c4", [says(DAY + 3, "nlu_fallback"), runs(DAY + 4, "action_default_fallback")])
    with session_scope(engine_for(url)) as s:
        row = s.execute(select(ConversationOutcome)).scalar_one()
        assert (row.outcome, row.fallbacks) == ("handed_over", 2)


def test_the_summary_counts_sessions_in_the_range_by_outcome_and_channel(engine):
    record("a", start(DAY) + [says(DAY + 1, "faq"), runs(DAY + 2, "utter_faq")], engine)
    record("b", start(DAY) + [says(DAY + 1, "x", "telegram"), runs(DAY + 2, "action_default_fallback"),
                              says(DAY + 3, "human_handoff", "telegram"), runs(DAY + 4, "action_handoff")], engine)
    record("c", start(DAY) + [says(DAY + 1, "greet", "socketio")], engine)
    record("d", start(DAY + 86400 * 3) + [says(DAY + 86400 * 3 + 1, "faq"), runs(DAY + 86400 * 3 + 2, "utter_faq")],
           engine)
    day = date(2026, 5, 28)
    figures = summary(day, day, engine=engine)
    assert figures["conversations"] == 3
    assert figures["outcomes"] == {"resolved": 1, "handed_over": 1, "not_understood": 0, "abandoned": 1}
    assert figures["containment_rate"] == round(1 / 3, 4) and figures["handoff_rate"] == round(1 / 3, 4)
    assert figures["fallback_rate"] == 0.25  # 1 of 4 customer messages
    assert figures["by_channel"]["telegram"] == {"conversations": 1, "resolved": 0}
    week = summary(day, date(2026, 5, 31), engine=engine)
    assert week["conversations"] == 4
    assert [(d["date"], d["conversations"], d["resolved"]) for d in week["by_day"]] == [
        ("2026-05-28", 3, 1), ("2026-05-31", 1, 1)]
    assert summary(day, day, channel="rest", engine=engine)["conversations"] == 1
    empty = summary(date(2026, 1, 1), date(2026, 1, 2), engine=engine)
    assert empty["conversations"] == 0 and empty["containment_rate"] is None
    for key in ("csat_average", "csat_responses", "nps", "ces_average"):
        assert key in figures
    assert figures["by_topic"] == {"faq": 1, "human_handoff": 1}  # greetings and "x" are no topic


def test_a_conversation_counts_once_for_each_topic_it_asked_about(engine):
    record("a", start(DAY) + [says(DAY + 1, "order_status"), says(DAY + 2, "inform"), says(DAY + 3, "order_status"),
                              says(DAY + 4, "return_request")], engine)
    record("b", start(DAY) + [says(DAY + 1, "order_status"), says(DAY + 2, "thank")], engine)
    day = date(2026, 5, 28)
    assert summary(day, day, engine=engine)["by_topic"] == {"order_status": 2, "return_request": 1}


def test_a_range_is_two_dates_in_order():
    today = date(2026, 12, 4)
    assert parse_range(None, None, today) == (date(2026, 11, 5), today)
    assert parse_range("2026-12-01", "2026-12-02", today) == (date(2026, 12, 1), date(2026, 12, 2))
    for bad in (("2026-13-01", None), ("2026-12-03", "2026-12-01"), ("2020-01-01", "2026-01-01"), ("yesterday", None)):
        with pytest.raises(ReportRangeError):
            parse_range(*bad, today)


def test_rows_hold_no_message_text(engine):
    record("e", start(DAY) + [says(DAY + 1, "greet")], engine)
    with session_scope(engine) as s:
        row = s.execute(select(ConversationOutcome)).scalar_one()
        assert "..." not in json.dumps({c.name: str(getattr(row, c.name)) for c in row.__table__.columns})
        assert row.session_started_at == datetime(2026, 5, 28, 20, 26, 40, 100000)


def test_the_summary_has_handoff_reasons_agent_times_and_volume_by_hour(tmp_path, monkeypatch):
    from datetime import timedelta

    from bot.handoff import changes as handoff_changes  # noqa: F401 - the service's own writes
    from bot.handoff import service as handoff_service
    from tests.support.fresh_shop import FIXED_NOW, fresh_shop

    url = f"sqlite:///{tmp_path / 'full.db'}"
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    fresh_shop(url)
    now = FIXED_NOW
    for minutes, (conversation, reason) in enumerate((("h1", "complaint"), ("h2", "asked_for_person"),
                                                      ("h3", "asked_for_person"))):
        monkeypatch.setenv("SHOP_NOW", (now + timedelta(minutes=minutes)).isoformat())
        handoff_service.create_handoff(conversation, "rest", [], reason)
    listed = {h["conversation_id"]: h["id"] for h in handoff_service.list_handoffs()}
    monkeypatch.setenv("SHOP_NOW", (now + timedelta(minutes=10)).isoformat())
    handoff_service.claim(listed["h1"], "sam")
    handoff_service.add_agent_message(listed["h1"], "sam", "Hi, I'm Sam")  # 10 min after opening
    monkeypatch.setenv("SHOP_NOW", (now + timedelta(minutes=31)).isoformat())
    handoff_service.add_agent_message(listed["h2"], "sam", "Hello")  # 30 min after opening
    handoff_service.resolve(listed["h1"], "sam")  # 31 min after opening
    record("o1", start(DAY) + [says(DAY + 1, "greet")], engine_for(url))
    figures = summary(now.date(), now.date(), engine=engine_for(url))
    assert figures["handoffs"] == 3
    assert figures["handoff_reasons"] == {"asked_for_person": 2, "complaint": 1}
    assert figures["median_first_agent_response_minutes"] == 20.0  # of 10 and 30
    assert figures["median_resolution_minutes"] == 31.0
    # h2 is claimed (sam's reply) and still open; h3 nobody claimed
    assert figures["handoff_endings"] == {"by_agent": {"sam": 1}, "back_to_assistant": 0, "expired": 0, "open": 2}
    day = summary(date(2026, 5, 28), date(2026, 5, 28), engine=engine_for(url))
    assert day["by_hour"][20] == 1 and sum(day["by_hour"]) == 1 and day["handoffs"] == 0
