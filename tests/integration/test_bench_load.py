"""The load generator and the memory sampler against the real servers (tiny sizes, no timing)."""
from __future__ import annotations

import asyncio

import pytest

from bench.conversations import Conversation, Turn
from bench.load import run_levels
from bench.load_generator import hold_conversations

pytestmark = pytest.mark.integration

SCRIPT = [Conversation("smoke", (Turn("hi"),
                                 Turn("track order 100001, email maria.gonzalez@example.com",
                                      "Order #100001 is on its way")))]


def _webhook(bot_stack) -> str:
    return f"{bot_stack.rasa_url}/webhooks/rest/webhook"


def test_one_conversation_is_held_answered_and_timed(bot_stack):
    result = asyncio.run(hold_conversations(_webhook(bot_stack), 1, 60, 2, SCRIPT))
    assert (result.messages, result.errors, result.wrong_answers) == (2, 0, 0), result.error_samples
    assert result.p50_ms > 0 and result.messages_per_second > 0


def test_a_reply_without_the_expected_text_is_counted_as_wrong(bot_stack):
    script = [Conversation("wrong", (Turn("hi", "this text is in no reply"),))]
    result = asyncio.run(hold_conversations(_webhook(bot_stack), 1, 60, 1, script))
    assert (result.errors, result.wrong_answers) == (0, 1)
    assert "expected" in result.error_samples[0]


def test_a_server_that_is_not_there_counts_as_errors_not_a_crash():
    result = asyncio.run(hold_conversations("http://127.0.0.1:9/webhooks/rest/webhook", 1, 10, 2, SCRIPT))
    assert result.errors == 2 and result.p50_ms is None


def test_levels_report_the_peak_memory_of_both_servers(bot_stack):
    # The servers on the message path (the desk and the storefront are not).
    pids = {s.name: s.process.pid for s in bot_stack.servers
            if s.name in ("Rasa server", "action server")}
    measured = asyncio.run(run_levels(_webhook(bot_stack), [1], 60, 2, pids))
    assert [lv["messages"] for lv in measured["levels"]] == [2]
    assert set(measured["levels"][0]["load_before"]) == {"load_1m", "load_5m", "load_15m"}
    assert set(measured["peak_rss_mb"]) == {"Rasa server", "action server"}
    assert measured["peak_rss_mb"]["Rasa server"] > 100  # a loaded model, not an empty reading
    assert [lv["messages"] for lv in measured["long_lived_levels"]] == [2]


def test_a_growing_conversation_is_timed_by_turn_bucket(bot_stack):
    from bench.load_generator import growing_conversation

    growth = asyncio.run(growing_conversation(_webhook(bot_stack), turns=8, bucket=4))
    assert (growth["errors"], growth["wrong_answers"]) == (0, 0)
    assert [b["turns"] for b in growth["buckets"]] == ["0-3", "4-7"]
    assert growth["last_over_first_p50"] > 0
