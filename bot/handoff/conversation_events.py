"""The events a handoff's transcript is made from: the customer's whole conversation session.

The Rasa server sends the action server only a window of a long conversation (its first
events, marked `tracker_window`, stand for the state before it; stores/tracker_window.py).
The earlier part is read from the tracker store's events table (whatever is stored before the
tracker's first event); the window's events, and this turn's that are not stored yet, come from
the action's tracker.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Iterable, List, Mapping

from bot.core import settings
from bot.core.db import engine_for
from bot.core.tracker_tables import WINDOW_MARK, session_events

logger = logging.getLogger(__name__)


def _is_snapshot(event: Mapping[str, Any]) -> bool:
    metadata = event.get("metadata")
    return isinstance(metadata, Mapping) and bool(metadata.get(WINDOW_MARK))


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.get("event") == b.get("event") and a.get("timestamp") == b.get("timestamp")


def whole_session(sender_id: str, events: Iterable[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """`events` of an action's tracker with the stored events before its window put back.

    Where the store does not hold the tracker's first event (another tracker store, a
    conversation not stored yet), the tracker's events are returned as they are. If the store
    cannot be read, the same, and the problem is logged (the transcript is then shorter, the
    handoff still opens).
    """
    window = [dict(e) for e in events if not _is_snapshot(e)]
    if not window:
        return window
    try:
        stored = session_events(engine_for(settings.tracker_store_url()), sender_id)
    except Exception:
        logger.exception("reading the stored conversation %s failed: transcript of the last turns only", sender_id)
        return window
    first = next((i for i, e in enumerate(stored) if _same(e, window[0])), 0)
    return stored[:first] + window
