"""What is older than the profile's retention period is deleted or anonymised, and what is
younger, or still open, is kept."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select, text, update

from bot.__main__ import main
from bot.core.db import engine_for, session_scope
from bot.core.models import Handoff, HandoffMessage, OutboxMessage
from bot.handoff import changes as hc
from bot.handoff import policy as hp
from bot.handoff import service as hs
from bot.privacy.retention import purge_expired
from tests.conftest import FIXED_NOW

OLD = FIXED_NOW - timedelta(days=400)
RECENT = FIXED_NOW - timedelta(days=10)
SAID = "my parcel never came, I'm at 12 Elm Street"


def unix(moment: datetime) -> float:
    return (moment - datetime(1970, 1, 1)).total_seconds()


@pytest.fixture
def tracker_url(tmp_path: Path) -> str:
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    for sender, when in (("old-chat", OLD), ("recent-chat", RECENT), ("old-but-waiting", OLD)):
        events = [ActionExecuted("action_listen", timestamp=unix(when)),
                  UserUttered(f"{sender}: {SAID}", {"name": "inform"}, timestamp=unix(when) + 1)]
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, slots=[])))
    store.engine.dispose()
    return f"sqlite:///{tmp_path / 'tracker.db'}"


def handoff(conversation: str, closed_at=None) -> int:
    ticket = hs.create_handoff(conversation, "twilio", [{"event": "user", "text": SAID}], hp.ASKED,
                               customer_email="olga.petrova@example.com", order_numbers=["100003"])
    if closed_at is not None:
        hc.resolve(ticket.id, "sam")
        with session_scope() as session:
            session.execute(update(Handoff).where(Handoff.id == ticket.id).values(
                resolved_at=closed_at, updated_at=closed_at))
    return ticket.id


def conversations(url: str):
    with engine_for(url).connect() as conn:
        return sorted({row[0] for row in conn.execute(text("SELECT sender_id FROM events"))})


def test_old_conversations_closed_handoffs_and_outbox_rows_go_the_rest_stays(writable_shop, tracker_url,
                                                                          monkeypatch):
    monkeypatch.setenv("SHOP_HANDOFF_WEBHOOK_URL", "https://helpdesk.example.com/hooks")  # outbox rows
    old = handoff("twilio:+14155550100", closed_at=OLD)
    recent = handoff("twilio:+14155550111", closed_at=RECENT)
    waiting = handoff("old-but-waiting")  # still open: its conversation must stay
    with session_scope() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.handoff_id == old).values(created_at=OLD))

    report = purge_expired(engine_for(writable_shop), engine_for(tracker_url), FIXED_NOW, 365)

    assert conversations(tracker_url) == ["old-but-waiting", "recent-chat"]
    assert (report.conversations, report.events, report.handoffs, report.outbox_rows) == (1, 2, 1, 1)
    assert report.undelivered_outbox_rows == 1
    with session_scope() as session:
        gone = session.get(Handoff, old)
        assert gone.conversation_id == f"anonymised-{old}" and gone.customer_email is None and gone.summary == ""
        assert gone.reason == hp.ASKED and gone.agent == "sam" and "100003" in gone.order_numbers
        assert session.execute(select(HandoffMessage).where(HandoffMessage.handoff_id == old)).first() is None
        for kept in (recent, waiting):
            assert session.get(Handoff, kept).customer_email == "olga.petrova@example.com"
            assert session.execute(select(HandoffMessage).where(HandoffMessage.handoff_id == kept)).first()
        assert {r.handoff_id for r in session.execute(select(OutboxMessage)).scalars()} == {recent, waiting}
    # A second run finds nothing more to do.
    again = purge_expired(engine_for(writable_shop), engine_for(tracker_url), FIXED_NOW, 365)
    assert not again.removed_anything


def test_a_shorter_retention_takes_more(writable_shop, tracker_url):
    purge_expired(engine_for(writable_shop), engine_for(tracker_url), FIXED_NOW, 5)
    assert conversations(tracker_url) == []


def test_the_command_uses_the_profiles_period_and_reports(writable_shop, tracker_url, capsys):
    assert main(["purge-expired", "--tracker-url", tracker_url]) == 0
    out = capsys.readouterr().out
    assert "older than 2025-11-23" in out and "2 conversation(s)" in out
    assert conversations(tracker_url) == ["recent-chat"]


def test_an_empty_tracker_store_is_fine(writable_shop, tmp_path):
    report = purge_expired(engine_for(writable_shop), engine_for(f"sqlite:///{tmp_path / 'none.db'}"),
                           FIXED_NOW, 365)
    assert not report.removed_anything


def test_the_desks_hourly_job_purges_the_configured_stores(writable_shop, tracker_url, monkeypatch, caplog):
    from bot.desk.background import purge_expired_now

    monkeypatch.setenv("SHOP_TRACKER_STORE_URL", tracker_url)
    with caplog.at_level("INFO", logger="bot.desk"):
        purge_expired_now()
    assert conversations(tracker_url) == ["recent-chat"]
    assert "retention: Removed what was older than" in caplog.text


def test_old_outcome_rows_keep_their_figures_and_lose_the_customer_s_id(writable_shop, tracker_url):
    from bot.core.models import ConversationOutcome
    from bot.reports.outcomes import record

    for name, when in (("twilio:+14155550100", OLD), ("twilio:+14155550111", RECENT)):
        at = when.replace(tzinfo=timezone.utc).timestamp()
        record(name, [{"event": "user", "timestamp": at}, {"event": "action", "name": "utter_faq", "timestamp": at}],
               engine_for(writable_shop))
    report = purge_expired(engine_for(writable_shop), engine_for(tracker_url), FIXED_NOW, 365)
    assert report.outcomes == 1
    with session_scope() as session:
        rows = {r.outcome + ":" + r.conversation_id.split("-")[0] for r in
                session.execute(select(ConversationOutcome)).scalars()}
    assert rows == {"resolved:anonymised", "resolved:twilio:+14155550111"}
    assert purge_expired(engine_for(writable_shop), engine_for(tracker_url), FIXED_NOW, 365).outcomes == 0


def test_old_survey_answers_keep_their_scores_and_lose_the_comment(writable_shop, tracker_url):
    from bot.core.models import Survey

    Survey.__table__.create(engine_for(writable_shop), checkfirst=True)
    with session_scope() as session:
        for name, when in (("old-chat", OLD), ("recent-chat", RECENT)):
            session.add(Survey(conversation_id=name, session_started_at=when, trigger="assistant", steps="[]",
                               csat=4, comment="my address is 1 Main St", asked_at=when, updated_at=when))
    report = purge_expired(engine_for(writable_shop), engine_for(tracker_url), FIXED_NOW, 365)
    assert report.surveys == 1 and "1 survey answer(s) anonymised" in "\n".join(report.lines())
    with session_scope() as session:
        rows = sorted((r.conversation_id.split("-")[0], r.csat, r.comment)
                      for r in session.execute(select(Survey)).scalars())
    assert rows == [("anonymised", 4, None), ("recent", 4, "my address is 1 Main St")]


def test_old_alerts_are_deleted(writable_shop, tracker_url):
    from bot.alerts import messages as am
    from bot.alerts import service as alerts

    with session_scope() as session:
        for name, when in (("old-chat", OLD), ("recent-chat", RECENT)):
            alerts.raise_alert(session, am.ANGRY, alerts.Source(name), am.message_text(am.ANGRY, SAID), when)
    report = purge_expired(engine_for(writable_shop), engine_for(tracker_url), FIXED_NOW, 365)
    assert report.alerts == 1 and "1 alert(s)" in "\n".join(report.lines())
    assert [a["conversation_id"] for a in alerts.list_alerts(alerts.ALL)] == ["recent-chat"]
