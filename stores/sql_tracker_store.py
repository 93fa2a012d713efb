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

Windows: for each message it loads only the recent part of the conversation and a snapshot of
the state before it (stores/tracker_window.py), so a message costs the same at turn 200 as at
turn 5; every event is still stored, and the tracker API reads them all.

Reports: the events it saves are added up into each conversation session's outcome in the
shop database (bot/reports/outcomes.py), which the desk's reports read.

Privacy: what it saves, and what it sends to the event broker, has the customer's proofs of
ownership, sign-in tokens and secrets masked (bot/privacy/stored_events.py); the conversation in
memory keeps them for the turn in which they are checked.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.core.db import sqlite_engine
from bot.core.tracker_tables import WINDOWS_TABLE
from bot.privacy.stored_events import mask_events
from bot.reports.outcomes import record_safely
from channels.turn_guard import report_problem
from stores.tracker_window import DEFAULT_KEEP_TURNS, LoadedWindow, Snapshot, WindowedTracker, next_start, state_before

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000")
#: The tracker's attribute with what the store loaded into it (LoadedWindow).
LOADED = "_shop_loaded_window"

_WINDOWS = sa.Table(
    WINDOWS_TABLE, sa.MetaData(),
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("start_id", sa.Integer, nullable=False),  # the events row where the window starts
    sa.Column("snapshot", sa.Text, nullable=False),  # Snapshot.as_dict as JSON
)


def masked(events: List[Event]) -> List[Event]:
    """The events as they may be kept (bot.privacy.stored_events), as Rasa events again."""
    return [Event.from_parameters(data) for data in mask_events(e.as_dict() for e in events)]


class PrePingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore (same settings) whose engine pings a connection before handing it out,
    which keeps events with proofs, tokens and secrets masked, and which loads a conversation's
    recent window for each message (`window_turns`, default 4: 4 to 8 turns)."""

    def __init__(self, *args: Any, window_turns: Any = DEFAULT_KEEP_TURNS, record_outcomes: Any = True,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each session's outcome, for the desk's reports (bot/reports/outcomes.py).
        self.record_outcomes = record_outcomes not in (False, "false", "False", 0, "0")
        self.keep_turns = int(window_turns)
        if self.keep_turns < 2:
            raise ValueError(f"tracker store window_turns must be 2 or more, not {window_turns!r}")
        url = self.engine.url
        self.engine.dispose()
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            self.engine = sqlite_engine(url, SQLITE_PRAGMAS, pool_pre_ping=True)
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        _WINDOWS.metadata.create_all(self.engine)
        # The window's events are read by sender and id.
        sa.Index("ix_events_sender_id_id", self.SQLEvent.sender_id, self.SQLEvent.id).create(
            self.engine, checkfirst=True)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        try:
            return self._retrieve_window(sender_id)
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
            new_events = self._save_new_events(tracker)
        except Exception as err:  # nothing of the turn was kept
            report_problem(f"the tracker store failed: {type(err).__name__}")
            raise
        if self.record_outcomes and new_events:
            record_safely(tracker.sender_id, new_events)
        if self.event_broker is not None:  # as stored: masked (the body of Rasa's own)
            for data in new_events:
                self.event_broker.publish({"sender_id": tracker.sender_id, **data})

    # ------------------------------------------------------------------ loading

    def _retrieve_window(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The latest session's window after its snapshot; the whole session where the
        conversation has no window (yet) or its window no longer matches the events."""
        event = self.SQLEvent
        columns = (event.id, event.type_name, event.data)
        with self.session_scope() as session:
            window = session.execute(sa.select(_WINDOWS.c.start_id, _WINDOWS.c.snapshot)
                                     .where(_WINDOWS.c.sender_id == sender_id)).first()
            rows = None
            if window is not None:
                rows = (session.query(*columns).filter(event.sender_id == sender_id, event.id >= window.start_id)
                        .order_by(event.id).all())
                starts = [i for i, row in enumerate(rows) if row.type_name == SessionStarted.type_name]
                if not rows or rows[0].id != window.start_id or starts:
                    rows = None  # events erased or a new session: loaded as Rasa loads them
            if rows is None:
                window = None
                rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False) \
                    .with_entities(*columns).all()
        if not rows or not self.domain:
            return None
        stored = [json.loads(row.data) for row in rows]
        before = Snapshot.from_dict(json.loads(window.snapshot)) if window is not None else Snapshot()
        synthetic = before.events(stored[0].get("timestamp"))
        kind = WindowedTracker if window is not None else DialogueStateTracker
        tracker = kind.from_dict(sender_id, synthetic + stored, self.domain.slots)
        if len(tracker.events) == len(synthetic) + len(rows):  # else a row was not an event Rasa knows:
            setattr(tracker, LOADED, LoadedWindow(len(synthetic), [row.id for row in rows]))  # saved as Rasa does
        if isinstance(tracker, WindowedTracker):
            tracker.full_session = lambda: self._full_session(tracker)
        return tracker

    def _full_session(self, tracker: DialogueStateTracker) -> List[Event]:
        """The latest session's stored events, then the tracker's events not stored yet."""
        from rasa.shared.core.events import deserialise_events

        loaded: Optional[LoadedWindow] = getattr(tracker, LOADED, None)
        unsaved = list(tracker.events)[loaded.known:] if loaded is not None else []
        with self.session_scope() as session:
            rows = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False) \
                .with_entities(self.SQLEvent.data).all()
        return deserialise_events([json.loads(row.data) for row in rows]) + unsaved

    # ------------------------------------------------------------------ saving

    def _save_new_events(self, tracker: DialogueStateTracker) -> List[Dict[str, Any]]:
        """Stores the tracker's events that are not stored yet (masked), moves the window on
        when it has grown; returns the events stored, as dicts."""
        loaded: Optional[LoadedWindow] = getattr(tracker, LOADED, None)
        events = list(tracker.events)
        with self.session_scope() as session:
            if loaded is None:  # a tracker the store did not load: Rasa's rule, the events beyond those stored
                known = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            else:
                known = loaded.known
            new = mask_events(e.as_dict() for e in events[known:])
            rows = [self._row(tracker.sender_id, data) for data in new]
            session.add_all(rows)
            session.flush()  # the rows get their ids
            if loaded is not None:
                loaded = LoadedWindow(loaded.synthetic, loaded.ids + [row.id for row in rows])
                self._move_window(session, tracker.sender_id, events, loaded)
            session.commit()
        if loaded is not None:
            setattr(tracker, LOADED, loaded)
        return new

    def _row(self, sender_id: Text, data: Dict[str, Any]) -> Any:
        return self.SQLEvent(sender_id=sender_id, type_name=data["event"], timestamp=data.get("timestamp"),
                             intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                             action_name=data.get("name"), data=json.dumps(data))

    def _move_window(self, session: "sa.orm.Session", sender_id: Text, events: List[Event],
                     loaded: LoadedWindow) -> None:
        """Starts the window `keep_turns` turns back once it holds twice as many, unless a form
        is active there (then it tries again at the next save)."""
        start = next_start(events, self.keep_turns)
        if start is None or start < loaded.synthetic:
            return
        snapshot = state_before(sender_id, masked(events[:start]), list(self.domain.slots))
        if snapshot is None:
            return
        values = {"start_id": loaded.ids[start - loaded.synthetic], "snapshot": json.dumps(snapshot.as_dict())}
        updated = session.execute(_WINDOWS.update().where(_WINDOWS.c.sender_id == sender_id).values(**values))
        if not updated.rowcount:
            session.execute(_WINDOWS.insert().values(sender_id=sender_id, **values))
