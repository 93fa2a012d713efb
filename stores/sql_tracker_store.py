"""Rasa's SQL tracker store, with pooled connections checked before use and a fast SQLite file.

PostgreSQL: after PostgreSQL restarts (or a network blip), each Rasa server still holds pooled
connections to the old server process. Rasa's store uses them as they are, the first query
fails, and Rasa's fail-safe wrapper answers that message from an empty in-memory conversation;
saving it back then writes nothing, because the store appends only "the events beyond the count
already stored". That turn is lost without a trace. With pool_pre_ping a dead connection is
found and replaced before the query, so the message is handled from the real conversation.

SQLite (the default of `make run`): SQLAlchemy 1.4 gives a SQLite file a NullPool, so each of
the three or four store calls per message opened the file anew, and every commit waited for an
fsync of the rollback journal: a fifth of the Rasa server's time per message in a profile
(docs/benchmarks.md). Here the file is kept open in a pool, in WAL mode with synchronous=NORMAL:
a commit survives a crash of the process; only an operating-system crash or power cut can undo
the last commits. Several workers or servers may share the file (busy timeout 5 s).

Outages: a failed read or write is reported to the turn (channels/turn_guard.py), so the customer
is asked to send the message again instead of being answered from an empty conversation.

Privacy: what it saves, and what it sends to the event broker, has the customer's proofs of
ownership, sign-in tokens and secrets masked (bot/privacy/stored_events.py); the conversation in
memory keeps them for the turn in which they are checked.
"""
from __future__ import annotations

import itertools
from typing import Any, Iterator, List, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.core.db import sqlite_engine
from bot.privacy.stored_events import mask_events
from channels.turn_guard import report_problem

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000")


def masked(events: List[Event]) -> List[Event]:
    """The events as they may be kept (bot.privacy.stored_events), as Rasa events again."""
    return [Event.from_parameters(data) for data in mask_events(e.as_dict() for e in events)]


class PrePingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore (same settings) whose engine pings a connection before handing it out,
    and which keeps events with proofs, tokens and secrets masked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            self.engine = sqlite_engine(url, SQLITE_PRAGMAS, pool_pre_ping=True)
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: Text) -> Any:
        try:
            return await super().retrieve(sender_id)
        except Exception as err:  # Rasa's fail-safe answers from memory: the turn is refused
            report_problem(f"the tracker store failed: {type(err).__name__}")
            raise

    async def retrieve_full_tracker(self, conversation_id: Text) -> Any:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except Exception as err:
            report_problem(f"the tracker store failed: {type(err).__name__}")
            raise

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
        except Exception as err:  # nothing of the turn was kept
            report_problem(f"the tracker store failed: {type(err).__name__}")
            raise

    def _additional_events(self, session: "sa.orm.Session", tracker: DialogueStateTracker) -> Iterator:
        # Rasa's store saves the events beyond those stored (this slice); they are saved masked.
        stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        return iter(masked(list(itertools.islice(tracker.events, stored, len(tracker.events)))))

    async def _stream_new_events(self, event_broker: EventBroker, new_events: List[Event],
                                 sender_id: Text) -> None:
        await super()._stream_new_events(event_broker, masked(new_events), sender_id)
