"""A long conversation on the real servers (the integration stack keeps a window of 2 to 4
turns): Rasa's HTTP API still shows all of it, and the bot still knows what was said first."""
from __future__ import annotations

import json
import urllib.request

from tests.integration.conftest import RestChat


def api(stack, method: str, path: str, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{stack.rasa_url}{path}?token={stack.api_token}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        raw = response.read()
        return json.loads(raw) if response.headers.get_content_type() == "application/json" else raw.decode()


def test_story_tracker_and_event_responses_hold_the_whole_session(bot_stack):
    sender = "test-window-api"
    chat = RestChat(bot_stack, sender=sender)
    assert "on its way" in chat.text("where is order 100001? email maria.gonzalez@example.com")
    for i in range(8):
        chat.text(("hello", "what shipping options do you have?", "thanks", "ok")[i % 4])
    assert "100001" in chat.text("and when will it arrive?")  # verified before the window
    said = [e["text"] for e in api(bot_stack, "GET", f"/conversations/{sender}/tracker")["events"]
            if e["event"] == "user"]
    # (a message after the two-stage fallback's question is in the events twice, as Rasa keeps it)
    assert said[0].startswith("where is order 100001") and said[-1] == "and when will it arrive?"
    story = api(bot_stack, "GET", f"/conversations/{sender}/story")
    assert "where is order [100001]" in story and "and when will it arrive?" in story  # entities marked
    after = api(bot_stack, "POST", f"/conversations/{sender}/tracker/events",
                {"event": "slot", "name": "language", "value": "en"})
    assert [e["text"] for e in after["events"] if e["event"] == "user"] == said
    assert not any("tracker_window" in (e.get("metadata") or {}) for e in after["events"])
