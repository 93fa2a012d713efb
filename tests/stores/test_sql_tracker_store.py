"""The production tracker store is Rasa's SQL store with connections checked before use."""
from __future__ import annotations

from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.sql_tracker_store import PrePingSQLTrackerStore


async def test_it_checks_connections_and_stores_conversations_like_rasas(tmp_path: Path):
    store = PrePingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite",
                                   db=str(tmp_path / "tracker.db"))
    assert store.engine.pool._pre_ping
    tracker = DialogueStateTracker.from_events("c1", [UserUttered("where is my order?")])
    await store.save(tracker)
    again = await store.retrieve("c1")
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["where is my order?"]


async def test_a_sqlite_file_is_pooled_in_wal_mode_and_shared_by_two_stores(tmp_path: Path):
    db = str(tmp_path / "tracker.db")
    first = PrePingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=db)
    second = PrePingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=db)
    assert type(first.engine.pool).__name__ == "QueuePool"
    with first.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    await first.save(DialogueStateTracker.from_events("c2", [UserUttered("hi")]))
    tracker = await second.retrieve("c2")
    tracker.update(UserUttered("where is my order?"))
    await second.save(tracker)
    again = await first.retrieve("c2")
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["hi", "where is my order?"]


class Broker:
    def __init__(self):
        self.published = []

    def publish(self, event):
        self.published.append(event)


async def test_what_is_saved_and_published_has_the_proof_and_token_masked(tmp_path: Path):
    broker = Broker()
    slots = {name: {"type": "any", "mappings": [{"type": "custom"}]} for name in ("owner_proof", "verified_orders")}
    store = PrePingSQLTrackerStore(domain=Domain.from_dict({"slots": slots}), dialect="sqlite",
                                   db=str(tmp_path / "tracker.db"), event_broker=broker)
    tracker = DialogueStateTracker.from_events("c3", slots=store.domain.slots, evts=[
        UserUttered("my zip is 94107", metadata={"customer_token": "v1.a.b"}),
        SlotSet("owner_proof", "94107"), SlotSet("verified_orders", ["100003"])])
    await store.save(tracker)
    assert tracker.get_slot("owner_proof") == "94107"  # the running conversation keeps it
    again = await store.retrieve("c3")
    user = next(e for e in again.events if isinstance(e, UserUttered))
    assert user.text == "my zip is [hidden]" and user.metadata["customer_token"] == "[hidden]"
    assert again.get_slot("owner_proof") == "[hidden]" and again.get_slot("verified_orders") == ["100003"]
    with store.engine.connect() as conn:
        stored = " ".join(row[0] for row in conn.exec_driver_sql("SELECT data FROM events"))
    assert "94107" not in stored and "v1.a.b" not in stored
    published = " ".join(str(e) for e in broker.published)
    assert "[hidden]" in published and "94107" not in published and "v1.a.b" not in published


async def test_each_session_s_outcome_is_added_up_as_its_events_are_saved(tmp_path: Path, outcomes_db: str):
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    from bot.reports.summary import summary

    store = PrePingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    tracker = DialogueStateTracker.from_events("c4", [
        ActionExecuted("action_session_start", timestamp=1_780_000_000.0), SessionStarted(timestamp=1_780_000_000.1),
        ActionExecuted("action_listen", timestamp=1_780_000_000.2),
        UserUttered("where is my order?", {"name": "order_status", "confidence": 0.9}, input_channel="rest",
                    timestamp=1_780_000_001.0)])
    await store.save(tracker)
    tracker.update(ActionExecuted("action_order_status", timestamp=1_780_000_002.0))
    await store.save(tracker)
    from datetime import date
    day = date(2026, 5, 28)  # 1_780_000_000 in UTC
    figures = summary(day, day)
    assert figures["conversations"] == 1 and figures["outcomes"]["resolved"] == 1
    assert figures["containment_rate"] == 1.0 and figures["by_channel"] == {"rest": {"conversations": 1, "resolved": 1}}
