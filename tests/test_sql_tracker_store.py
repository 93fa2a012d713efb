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
