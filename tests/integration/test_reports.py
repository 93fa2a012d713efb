"""Conversations on the running servers become outcomes in the desk's support summary."""
from __future__ import annotations

from datetime import datetime, timezone

from tests.integration.conftest import RestChat


def test_a_rest_conversation_is_counted_resolved_in_the_summary(bot_stack, desk):
    today = datetime.now(timezone.utc).date().isoformat()  # sessions are dated by their events
    path = f"/api/reports/summary?from={today}&to={today}&channel=rest"
    before = desk.call("GET", path)[1]
    chat = RestChat(bot_stack, sender="test-reports-resolved")
    assert "standard" in chat.text("what shipping options do you have?").lower()
    status, after = desk.call("GET", path)
    assert status == 200
    assert after["conversations"] == before["conversations"] + 1
    assert after["outcomes"]["resolved"] == before["outcomes"]["resolved"] + 1
    assert 0 < after["containment_rate"] <= 1
