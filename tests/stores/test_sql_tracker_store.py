"""The production tracker store is Rasa's SQL store with connections checked before use."""
from __future__ import annotations

from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
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
