"""The recent part of a conversation that the Rasa server needs for the next message.

Rasa rebuilds the whole conversation session for every message: it loads and replays every
event, computes the dialogue state before every past action for each policy, and sends all
events to the action server. A message late in a long conversation cost several times one at
its start (docs/benchmarks.md, "Cost against conversation length").

The policies look only a few turns back (MemoizationPolicy's max_history, the longest rule), so
the store keeps a *window*: the events from the start of a recent turn on, and a snapshot of
the state just before it (the slots that were set, whether the conversation was paused). The
Rasa server gets the snapshot as SlotSet events marked `tracker_window` in their metadata,
then the window's events: the same state, the same predictions, at a cost that no longer
grows. The window holds between `keep_turns` (default 4) and twice that many turns: it moves forward by
`keep_turns` at a time, never to a point inside an active form (a form's history of asked
slots is replayed by Rasa from its start).

Everything else still sees the whole conversation: Rasa's events table keeps every event; a
windowed tracker (`WindowedTracker`) answers `current_state` with events, which is what Rasa's
HTTP API returns (the tracker after `POST .../tracker/events`, `/execute`, `/predict`, ...),
from the whole latest session; the tracker API (`GET /conversations/<id>/tracker`) reads the
store in full anyway, story export is given the whole session (ops/rasa_server.py), and
handoff transcripts read the stored session (bot/handoff/conversation_events.py). Actions run
on Rasa's copy of the tracker (`tracker.copy()`: a plain tracker of the window's events), so
the action server gets the window only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.core.tracker_tables import WINDOW_MARK

#: Turns kept at least (endpoints.yml can set `window_turns`). A turn holds two actions or more
#: (an answer, action_listen): 4 turns are 8 states or more, where the longest rule of the
#: model is 3 states.
DEFAULT_KEEP_TURNS = 4
#: MemoizationPolicy's max_history (config.yml). That policy skips the turns that only rules
#: predicted (`hide_rule_turn`), so its last states can lie further back than a few turns:
#: the window keeps at least this many actions it does not skip, plus one, after its start.
MEMOIZATION_HISTORY = 4


@dataclass
class Snapshot:
    """The state of a conversation just before its window."""

    slots: Dict[str, Any] = field(default_factory=dict)
    paused: bool = False

    def as_dict(self) -> Dict[str, Any]:
        return {"slots": self.slots, "paused": self.paused}

    @classmethod
    def from_dict(cls, data: Any) -> "Snapshot":
        data = data if isinstance(data, dict) else {}
        slots = data.get("slots")
        return cls(dict(slots) if isinstance(slots, dict) else {}, bool(data.get("paused")))

    def events(self, timestamp: Optional[float]) -> List[Dict[str, Any]]:
        """The snapshot as event dicts to put before the window's events."""
        meta = {WINDOW_MARK: True}
        found: List[Dict[str, Any]] = [{"event": "slot", "name": name, "value": value, "timestamp": timestamp,
                                        "metadata": dict(meta)} for name, value in self.slots.items()]
        if self.paused:
            found.append({"event": "pause", "timestamp": timestamp, "metadata": dict(meta)})
        return found


@dataclass
class LoadedWindow:
    """What the store loaded into a tracker: `synthetic` snapshot events first, then stored
    events with their row ids (`ids`, one per event after the snapshot's). The tracker's events
    beyond these are new and not stored yet."""

    synthetic: int
    ids: List[int]

    @property
    def known(self) -> int:
        return self.synthetic + len(self.ids)


class WindowedTracker(DialogueStateTracker):
    """A tracker loaded as a window; `full_session` (set by the store) gives the latest session's
    events in full (stored ones, then those not stored yet), for what Rasa shows outside."""

    full_session: Optional[Callable[[], List[Event]]] = None

    def whole(self) -> DialogueStateTracker:
        """The same conversation with every event of its latest session."""
        if self.full_session is None:
            return self
        return DialogueStateTracker.from_events(self.sender_id, self.full_session(), list(self.slots.values()),
                                                self._max_event_history)

    def _events_for_verbosity(self, event_verbosity: EventVerbosity) -> Optional[List[Event]]:
        if event_verbosity == EventVerbosity.NONE or self.full_session is None:
            return super()._events_for_verbosity(event_verbosity)
        return self.whole()._events_for_verbosity(event_verbosity)


def turn_starts(events: Sequence[Event]) -> List[int]:
    """Indexes of the `action_listen` events that a customer's message follows: the places a
    window may start (after the conversation session's last start)."""
    first = 0
    for i, event in enumerate(events):
        if isinstance(event, SessionStarted):
            first = i
    return [i for i in range(first, len(events) - 1)
            if isinstance(events[i], ActionExecuted) and events[i].action_name == ACTION_LISTEN_NAME
            and isinstance(events[i + 1], UserUttered)]


def state_before(sender_id: str, events: Sequence[Event], slots: Sequence[Slot]) -> Optional[Snapshot]:
    """The snapshot after `events`, or None where a window may not start (a form is active)."""
    tracker = DialogueStateTracker.from_events(sender_id, list(events), slots)
    if tracker.active_loop_name:
        return None
    values = {name: slot.value for name, slot in tracker.slots.items() if slot.has_been_set}
    return Snapshot(values, tracker.is_paused())


def next_start(events: Sequence[Event], keep_turns: int, history: int = MEMOIZATION_HISTORY) -> Optional[int]:
    """Where the window should start now: None while it holds at most 2 x `keep_turns` turns,
    else the start of the turn `keep_turns` back, or of an earlier turn where that is needed
    to keep `history` + 1 actions that MemoizationPolicy does not skip after it (the caller
    checks that a form is not active there). None where the session has fewer of those."""
    starts = turn_starts(events)
    if len(starts) <= 2 * keep_turns:
        return None
    first = starts[0]
    shown = [i for i in range(first, len(events))
             if isinstance(events[i], ActionExecuted) and not events[i].hide_rule_turn]
    if len(shown) <= history + 1:
        return None
    limit = shown[-(history + 1)]  # the window must start before this action
    eligible = [s for s in starts[:-keep_turns + 1 or None] if s < limit]
    return eligible[-1] if eligible else None
