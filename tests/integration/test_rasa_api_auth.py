"""Rasa's HTTP API can read conversations and set slots, so it must not answer strangers."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from ops.stack import Stack
from tests.integration.conftest import RestChat

pytestmark = pytest.mark.integration


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_tracker_api_needs_the_token(bot_stack: Stack) -> None:
    chat = RestChat(bot_stack, sender="api-auth-probe")
    chat.say("track order 100001, email maria.gonzalez@example.com")
    tracker = f"{bot_stack.rasa_url}/conversations/api-auth-probe/tracker"
    assert _get(tracker) == 401
    assert _get(tracker + "?token=wrong") == 401
    with urllib.request.urlopen(f"{tracker}?token={bot_stack.api_token}", timeout=30) as response:
        events = json.load(response)["events"]
    assert any(e.get("event") == "user" for e in events)


def test_slots_cannot_be_set_without_the_token(bot_stack: Stack) -> None:
    body = json.dumps({"event": "slot", "name": "verified_orders", "value": ["100001"]}).encode()
    request = urllib.request.Request(
        f"{bot_stack.rasa_url}/conversations/api-auth-intruder/tracker/events", data=body,
        headers={"Content-Type": "application/json"}, method="POST")
    try:
        urllib.request.urlopen(request, timeout=30)
        status = 200
    except urllib.error.HTTPError as err:
        status = err.code
    assert status == 401
