"""Transcripts from Rasa tracker events: what is kept and how it reads (masking: tests/privacy)."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.handoff.transcript import (
    build_summary,
    format_transcript,
    transcript_from_events,
)
from tests.support.handoff_fixtures import bot, user


def test_only_customer_and_bot_messages_become_lines_in_order():
    events = [
        {"event": "action", "name": "action_listen"},
        user("where is my order", "order_status", 0.91234567, at=1795464000.0),
        {"event": "slot", "name": "order_number", "value": "100001"},
        bot("What's the order number?", at=1795464001.5),
        {"event": "bot", "text": None, "data": {"custom": {"x": 1}}},  # nothing to read
        user("my card 4111 1111 1111 1111", "inform", 0.5),
        "not an event",
    ]
    entries = transcript_from_events(events)
    assert [(e.sender, e.text) for e in entries] == [
        ("customer", "where is my order"),
        ("bot", "What's the order number?"),
        ("customer", "my card •••• •••• •••• 1111"),
    ]
    first = entries[0]
    assert first.at == datetime(2026, 11, 23, 20, 0) and first.intent == "order_status"
    assert first.confidence == pytest.approx(0.9123)
    assert entries[1].at == datetime(2026, 11, 23, 20, 0, 1, 500000) and entries[1].intent is None


def test_button_payloads_read_as_the_button_the_customer_clicked():
    buttons = [{"title": "Talk to a person", "payload": "/human_handoff"},
               {"title": "Track my order", "payload": "/order_status"}]
    events = [
        bot("I still don't understand.", buttons),
        user("/human_handoff", "human_handoff", 1.0),
        user('/inform{"order_number": "100001"}', "inform", 1.0),  # no such button: left out
    ]
    entries = transcript_from_events(events)
    assert entries[0].text == "I still don't understand.\n[buttons: Talk to a person | Track my order]"
    assert [e.text for e in entries[1:]] == ["Talk to a person"]
    assert entries[1].intent == "human_handoff"


def test_missing_or_odd_fields_do_not_break_it():
    entries = transcript_from_events([
        {"event": "user", "text": "hi", "timestamp": "yesterday", "parse_data": {"intent": "x"}},
        {"event": "bot", "text": "Hello", "data": {"buttons": "none"}},
    ])
    assert [(e.text, e.at, e.intent) for e in entries] == [("hi", None, None), ("Hello", None, None)]
    assert transcript_from_events(None) == []


def test_summary_says_what_the_customer_wanted_and_what_was_collected():
    entries = transcript_from_events([
        user("hello", "greet", 0.99),
        user("I want to return my sweater", "return_request", 0.95),
        bot("Which order is it?"),
        user("agent please", "human_handoff", 0.97),
    ])
    slots = {"order_number": "100003", "verified_orders": ["100003", "100006"],
             "return_reason": "wrong size", "owner_proof": "maria@example.com",
             "claim_description": "card 4111 1111 1111 1111"}
    summary = build_summary(entries, slots, "the customer asked for a person")
    assert summary.splitlines() == [
        "Handed off: the customer asked for a person.",
        "Asked about: a return.",
        'Last request: "I want to return my sweater"',
        'Last message: "agent please"',
        "Order: 100003 (verified).",
        "Collected: return reason: wrong size; problem: card •••• •••• •••• 1111.",
    ]
    assert "maria@example.com" not in summary  # the ownership proof is not repeated


def test_summary_of_an_unverified_order_and_failed_checks():
    summary = build_summary([], {"order_number": "100001", "failed_checks": 3.0})
    assert "Order: 100001 (not verified)." in summary
    assert "Failed ownership checks: 3." in summary
    assert build_summary([], {}) == "No details were collected before the handoff."


def test_plain_text_transcript_for_the_email_attachment():
    entries = transcript_from_events([user("where is it?", "order_status", 0.9), bot("Let me check.")])
    text = format_transcript(entries)
    assert text.splitlines() == [
        "2026-11-23 20:00 UTC  Customer: where is it?  [intent order_status, 0.90]",
        "2026-11-23 20:00 UTC  Bot: Let me check.",
    ]
    as_dicts = format_transcript([{"sender": "agent", "text": "Hi, I'm Sam", "at": "2026-11-23T20:05:00Z"}])
    assert as_dicts == "2026-11-23T20:05:00Z  Agent: Hi, I'm Sam\n"
