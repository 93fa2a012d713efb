"""A message the bot cannot handle at all (e.g. the lock store is down) gets a short apology
in the customer's channel instead of silence."""
from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import socketio

from bot.text.trouble_message import technical_trouble_text
from channels import session_ids
from channels.handoff_rest import HandoffRestInput
from channels.handoff_socketio import HandoffSocketIOInput
from tests.support.channel_server import FakeAgent, serving
from tests.support.handoff_fixtures import handoff_db  # noqa: F401 - fixture


class StoreDownAgent(FakeAgent):
    """Fails every message the way Rasa does when Redis (the lock store) is unreachable."""

    async def handle_message(self, message: Any) -> None:
        self.handled.append(message.text)
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_the_apology_says_what_to_do_and_how_to_reach_the_shop():
    from bot.profile.shop_profile import load_profile

    text = technical_trouble_text()
    assert "send your message again" in text and load_profile().support_email in text


async def test_rest_answers_with_the_apology(handoff_db):
    async with serving([HandoffRestInput()], StoreDownAgent()) as base:
        async with aiohttp.ClientSession() as http:
            async with http.post(base + "/webhooks/rest/webhook",
                                 json={"sender": "c1", "message": "where is my order?"}) as resp:
                status, body = resp.status, await resp.json()
    assert status == 200
    assert body == [{"recipient_id": "c1", "text": technical_trouble_text()}]


async def test_socketio_answers_with_the_apology(handoff_db):
    channel = HandoffSocketIOInput.from_credentials(
        {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
         "session_persistence": True})
    received: asyncio.Queue = asyncio.Queue()
    client = socketio.AsyncClient()
    client.on("session_confirm", lambda session_id: received.put_nowait(("confirm", session_id)))
    client.on("bot_uttered", lambda data: received.put_nowait(("bot", data)))
    async with serving([channel], StoreDownAgent()) as base:
        await client.connect(base, socketio_path="/socket.io", transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": None})
            kind, s1 = await asyncio.wait_for(received.get(), 10)
            assert kind == "confirm" and session_ids.valid(s1)  # issued by the server
            await client.emit("user_uttered", {"message": "hi", "session_id": s1})
            assert await asyncio.wait_for(received.get(), 10) == (
                "bot", {"text": technical_trouble_text()})
        finally:
            await client.disconnect()
            await client.wait()
