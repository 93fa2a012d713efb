"""The tables of the tracker store (stores/sql_tracker_store.py), for code that reads or erases
conversations without Rasa: the retention purge, forgetting a customer, handoff transcripts.

`events` is Rasa's own table, one row per event (id, sender_id, type_name, timestamp, data as
JSON). `tracker_windows` is ours: per conversation, where the part that the Rasa server loads
for each message starts and the state before it (stores/tracker_window.py). Erasing a
conversation erases both.
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

EVENTS_TABLE = "events"
WINDOWS_TABLE = "tracker_windows"
#: Metadata key of the SlotSet (and pause) events that stand for the state before a window:
#: the Rasa server and the action server see them first in a windowed conversation.
WINDOW_MARK = "tracker_window"


_CHUNK = 500  # conversations deleted per statement


def delete_conversations(conn: Connection, senders: Iterable[str]) -> int:
    """Delete the conversations' events and windows in the caller's transaction; the number of
    events deleted."""
    removed = 0
    senders = list(senders)
    tables = [t for t in (EVENTS_TABLE, WINDOWS_TABLE) if inspect(conn).has_table(t)]
    for start in range(0, len(senders), _CHUNK):
        chunk = senders[start:start + _CHUNK]
        names = ", ".join(f":s{i}" for i in range(len(chunk)))
        values = {f"s{i}": s for i, s in enumerate(chunk)}
        for table in tables:
            count = conn.execute(text(f"DELETE FROM {table} WHERE sender_id IN ({names})"), values).rowcount
            removed += count if table == EVENTS_TABLE else 0
    return removed


def session_events(engine: Engine, sender_id: str) -> List[Dict[str, Any]]:
    """The stored events of the conversation's latest session (as Rasa's store loads them:
    from its last `session_started` on), oldest first; [] when nothing is stored."""
    if not inspect(engine).has_table(EVENTS_TABLE):
        return []
    with engine.connect() as conn:
        start = conn.execute(text(f"SELECT max(id) FROM {EVENTS_TABLE} WHERE sender_id = :s "
                                  "AND type_name = 'session_started'"), {"s": sender_id}).scalar()
        rows = conn.execute(text(f"SELECT data FROM {EVENTS_TABLE} WHERE sender_id = :s AND id >= :start "
                                 "ORDER BY id"), {"s": sender_id, "start": start or 0}).all()
    events = []
    for (data,) in rows:
        try:
            events.append(json.loads(data))
        except (TypeError, ValueError):
            continue
    return events
