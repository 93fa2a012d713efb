"""A long conversation is loaded as a window: the same state and dialogue history as the whole
conversation, at a cost that does not grow, with every event still stored."""
from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from sqlalchemy import create_engine

from bot.core.tracker_tables import WINDOW_MARK, delete_conversations, session_events
from bot.handoff.conversation_events import whole_session
from stores.sql_tracker_store import PrePingSQLTrackerStore

DOMAIN = Domain.from_dict({
    "intents": ["greet", "order_status", "thanks"],
    "actions": ["utter_greet", "action_order_status"],
    "forms": {"return_form": {"required_slots": []}},
    "slots": {name: {"type": "any", "mappings": [{"type": "custom"}]}
              for name in ("owner_proof", "verified_orders", "language", "last_outcome")},
})


def turn(i: int, *extra: Event, hidden: bool = False) -> List[Event]:
    """A turn; `hidden`: its actions predicted by rules only (MemoizationPolicy skips them)."""
    intent = ("greet", "order_status", "thanks")[i % 3]
    return [UserUttered(f"message {i}", {"name": intent, "confidence": 1.0}, timestamp=1000.0 + i),
            ActionExecuted("utter_greet", timestamp=1000.0 + i + 0.1, hide_rule_turn=hidden),
            BotUttered(f"reply {i}", timestamp=1000.0 + i + 0.2),
            *extra, ActionExecuted("action_listen", timestamp=1000.0 + i + 0.3, hide_rule_turn=hidden)]


def store_at(tmp_path: Path, **kwargs) -> PrePingSQLTrackerStore:
    return PrePingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"),
                                  record_outcomes=False, **kwargs)


async def talk(store: PrePingSQLTrackerStore, sender: str, turns: List[List[Event]]) -> DialogueStateTracker:
    """Each turn as the Rasa server does it: retrieve, add the turn's events, save."""
    for events in turns:
        tracker = await store.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
        for event in events:
            tracker.update(event)
        await store.save(tracker)
    return await store.retrieve(sender)


def history(tracker: DialogueStateTracker) -> list:
    return tracker.past_states(DOMAIN)


async def test_a_long_conversation_loads_a_window_with_the_same_state_and_recent_history(tmp_path: Path):
    store = store_at(tmp_path, window_turns=4)
    first = turn(0, SlotSet("verified_orders", ["100001"]), SlotSet("language", "en"))
    window = await talk(store, "c1", [[ActionExecuted("action_listen", timestamp=999.0)] + first]
                        + [turn(i) for i in range(1, 60)])
    full = await store.retrieve_full_tracker("c1")
    stored = [e for e in window.events if not (e.metadata or {}).get(WINDOW_MARK)]
    assert len(full.events) == 1 + 60 * 4 + 2  # every event kept
    assert len(stored) <= 8 * 4 + 1 < len(full.events)  # at most 2 x 4 turns loaded
    assert window.current_slot_values() == full.current_slot_values()
    assert window.get_slot("verified_orders") == ["100001"]
    assert history(window)[-8:] == history(full)[-8:]  # the policies see the same 4 turns
    assert [e.text for e in window.events if isinstance(e, UserUttered)][-1] == "message 59"


async def test_memoization_sees_the_same_last_states_when_rules_predicted_most_turns(tmp_path: Path):
    # MemoizationPolicy skips rule-only turns, so its history can lie far back: the window
    # keeps it (here: turns 0-2 are its last states, turns 3-39 are rules only).
    store = store_at(tmp_path, window_turns=4)
    turns = [[ActionExecuted("action_listen", timestamp=999.0)] + turn(0)] + [turn(i) for i in (1, 2)]
    window = await talk(store, "c8", turns + [turn(i, hidden=True) for i in range(3, 40)])
    full = await store.retrieve_full_tracker("c8")
    memo = {"ignore_rule_only_turns": True}
    assert window.past_states(DOMAIN, **memo)[-5:] == full.past_states(DOMAIN, **memo)[-5:]
    # turns alternating: the window moves on and still keeps them
    mixed = await talk(store, "c9", [[ActionExecuted("action_listen", timestamp=999.0)] + turn(0)]
                       + [turn(i, hidden=i % 2 == 0) for i in range(1, 60)])
    full = await store.retrieve_full_tracker("c9")
    assert len(mixed.events) < len(full.events) / 3
    assert mixed.past_states(DOMAIN, **memo)[-5:] == full.past_states(DOMAIN, **memo)[-5:]
    assert mixed.past_states(DOMAIN)[-8:] == full.past_states(DOMAIN)[-8:]


def test_the_window_keeps_as_many_states_as_memoization_looks_back():
    import yaml

    from stores.tracker_window import MEMOIZATION_HISTORY

    config = yaml.safe_load((Path(__file__).resolve().parents[2] / "config.yml").read_text())
    memo = [p for p in config["policies"] if p["name"] == "MemoizationPolicy"]
    assert memo and all(p.get("max_history", 5) <= MEMOIZATION_HISTORY for p in memo)


async def test_the_window_grows_again_and_moves_on_without_losing_or_repeating_events(tmp_path: Path):
    store = store_at(tmp_path, window_turns=3)
    await talk(store, "c2", [[ActionExecuted("action_listen", timestamp=999.0)]] + [turn(i) for i in range(25)])
    tracker = await store.retrieve("c2")
    tracker.update(UserUttered("late", timestamp=2000.0))
    await store.save(tracker)
    await store.save(tracker)  # saved twice (as Rasa may): stored once
    texts = [e.text for e in (await store.retrieve_full_tracker("c2")).events if isinstance(e, UserUttered)]
    assert texts == [f"message {i}" for i in range(25)] + ["late"]


async def test_a_window_never_starts_inside_an_active_form(tmp_path: Path):
    store = store_at(tmp_path, window_turns=2)
    turns = [[ActionExecuted("action_listen", timestamp=999.0)] + turn(0, SlotSet("language", "en"))]
    turns.append(turn(1, ActiveLoop("return_form")))
    turns += [turn(i) for i in range(2, 12)]  # the form stays active all along
    window = await talk(store, "c3", turns)
    assert window.active_loop_name == "return_form"
    assert len(window.events) == len((await store.retrieve_full_tracker("c3")).events)  # loaded whole
    done = await talk(store, "c3", [turn(12, ActiveLoop(None))] + [turn(i) for i in range(13, 20)])
    assert done.active_loop_name is None and done.get_slot("language") == "en"
    assert any((e.metadata or {}).get(WINDOW_MARK) for e in done.events)
    assert len(done.events) < len((await store.retrieve_full_tracker("c3")).events)


async def test_a_new_session_is_loaded_alone(tmp_path: Path):
    store = store_at(tmp_path, window_turns=2)
    await talk(store, "c4", [[ActionExecuted("action_listen", timestamp=999.0)]
                             + turn(0, SlotSet("language", "en"))] + [turn(i) for i in range(1, 10)])
    new_session = [ActionExecuted("action_session_start", timestamp=3000.0), SessionStarted(timestamp=3000.1),
                   ActionExecuted("action_listen", timestamp=3000.2)]
    tracker = await talk(store, "c4", [new_session, turn(2001)])
    assert tracker.get_slot("language") is None
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["message 2001"]


async def test_the_snapshot_keeps_proofs_masked_and_erasing_a_conversation_erases_it(tmp_path: Path):
    store = store_at(tmp_path, window_turns=2)
    proof = turn(0, SlotSet("owner_proof", "94107"))
    await talk(store, "c5", [[ActionExecuted("action_listen", timestamp=999.0)] + proof]
               + [turn(i) for i in range(1, 10)])
    with store.engine.connect() as conn:
        snapshot = conn.exec_driver_sql("SELECT snapshot FROM tracker_windows WHERE sender_id='c5'").scalar()
    assert "owner_proof" in snapshot and "94107" not in snapshot
    with store.engine.begin() as conn:
        assert delete_conversations(conn, ["c5"]) > 40
        assert conn.exec_driver_sql("SELECT count(*) FROM tracker_windows").scalar() == 0
    assert await store.retrieve("c5") is None


async def test_events_erased_under_a_window_load_the_conversation_as_rasa_does(tmp_path: Path):
    store = store_at(tmp_path, window_turns=2)
    await talk(store, "c6", [[ActionExecuted("action_listen", timestamp=999.0)]] + [turn(i) for i in range(10)])
    with store.engine.begin() as conn:  # e.g. an older tool that knows only Rasa's table
        conn.exec_driver_sql("DELETE FROM events WHERE sender_id='c6' AND timestamp < 1008")
    tracker = await store.retrieve("c6")
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["message 8", "message 9"]


async def test_a_handoff_transcript_gets_the_turns_before_the_window_back(tmp_path: Path, monkeypatch):
    store = store_at(tmp_path, window_turns=2)
    window = await talk(store, "c7", [[ActionExecuted("action_listen", timestamp=999.0)]]
                        + [turn(i) for i in range(12)])
    window.update(UserUttered("I want a person", timestamp=5000.0))  # this turn, not stored yet
    monkeypatch.setenv("SHOP_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    events = whole_session("c7", window.current_state(EventVerbosity.ALL)["events"])
    texts = [e.get("text") for e in events if e.get("event") == "user"]
    assert texts == [f"message {i}" for i in range(12)] + ["I want a person"]
    assert not any(WINDOW_MARK in (e.get("metadata") or {}) for e in events)


def test_a_conversation_the_store_does_not_hold_is_its_own_transcript(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SHOP_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    events = [{"event": "user", "text": "hi", "timestamp": 1.0}]
    assert whole_session("nobody", events) == events


def test_session_events_start_at_the_latest_session(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 't.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, data TEXT)")
        for i, kind in enumerate(["user", "session_started", "user"]):
            conn.exec_driver_sql("INSERT INTO events (id, sender_id, type_name, data) VALUES (?, 's', ?, ?)",
                                 (i + 1, kind, f'{{"event": "{kind}", "n": {i}}}'))
    assert [e["n"] for e in session_events(engine, "s")] == [1, 2]
    assert session_events(engine, "other") == []


def test_window_turns_below_two_are_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="window_turns"):
        store_at(tmp_path, window_turns=1)


async def test_what_rasa_shows_of_a_windowed_tracker_is_the_whole_session(tmp_path: Path):
    store = store_at(tmp_path, window_turns=2)
    window = await talk(store, "c10", [[ActionExecuted("action_listen", timestamp=999.0)]]
                        + [turn(i) for i in range(20)])
    window.update(UserUttered("not saved yet", timestamp=4000.0))
    shown = window.current_state(EventVerbosity.AFTER_RESTART)["events"]
    texts = [e["text"] for e in shown if e["event"] == "user"]
    assert texts == [f"message {i}" for i in range(20)] + ["not saved yet"]
    assert not any(WINDOW_MARK in (e.get("metadata") or {}) for e in shown)
    assert window.current_state()["events"] is None  # no events asked: nothing loaded
    copy = window.copy()  # what Rasa runs actions on: the window only
    assert len(copy.current_state(EventVerbosity.ALL)["events"]) == len(window.events) < len(shown)


async def test_story_export_gets_the_whole_latest_session(tmp_path: Path):
    from ops.rasa_server import _get_test_stories, install

    install()
    store = store_at(tmp_path, window_turns=2)
    await talk(store, "c11", [[ActionExecuted("action_listen", timestamp=999.0)]] + [turn(i) for i in range(20)])

    class Processor:
        async def get_tracker(self, conversation_id):
            return await store.retrieve(conversation_id)

    story = await _get_test_stories(Processor(), "c11", None)
    assert "message 0" in story and "message 19" in story
