"""A service the bot depends on stops in the middle of a conversation: the customer is told, the
message is kept, and the conversation goes on once the service is back. (Redis, RabbitMQ and the
tracker store are cut in test_production_deployment.py.)"""
from __future__ import annotations

import json
import urllib.request

import pytest

from bot.text.trouble_message import technical_trouble_text
from ops.stack import Stack, wait_until_up
from tests.integration.conftest import RestChat

pytestmark = pytest.mark.integration


def user_messages(stack: Stack, sender: str):
    url = f"{stack.rasa_url}/conversations/{sender}/tracker?token={stack.api_token}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return [e["text"] for e in json.load(response)["events"] if e["event"] == "user"]


def test_with_the_action_server_down_the_customer_is_told_and_the_message_kept(bot_stack):
    chat = RestChat(bot_stack, "fault-action-server")
    assert "order number" in chat.text("where is my order?")
    (actions,) = [s for s in bot_stack.servers if s.name == "action server"]
    actions.stop()
    try:
        # Rasa would log "the actions events are lost" and answer with whatever came next
        assert chat.text("it's #100001") == technical_trouble_text()
    finally:
        actions.start()
        wait_until_up([actions], 300, bot_stack.log_dir)
    assert user_messages(bot_stack, chat.sender)[-1] == "it's #100001"  # kept
    assert "Order #100001" in chat.text("order 100001, email maria.gonzalez@example.com")
