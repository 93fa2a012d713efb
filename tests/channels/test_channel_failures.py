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


class ActionServerDownAgent(FakeAgent):
    """Answers as Rasa does when a custom action fails: it logs the failure, predicts on and
    says something that is no answer to the message."""

    async def handle_message(self, message: Any) -> None:
        import logging

        self.handled.append(message.text)
        try:
            raise ConnectionError("Cannot connect to host localhost:5055")
        except ConnectionError:
            logging.getLogger("rasa.core.processor").exception(
                "Encountered an exception while running action 'action_order_status'.Bot will "
                "continue, but the actions events are lost. Please check the logs of your action "
                "server for more information.")
        await message.output_channel.send_text_message(message.sender_id, "What is your order number?")


async def rest_say(base: str, sender: str, text: str):
    async with aiohttp.ClientSession() as http:
        async with http.post(base + "/webhooks/rest/webhook", json={"sender": sender, "message": text}) as resp:
            return resp.status, await resp.json()


async def test_a_failed_action_gets_the_apology_not_what_rasa_said_after_it(handoff_db):
    async with serving([HandoffRestInput()], ActionServerDownAgent()) as base:
        status, body = await rest_say(base, "c2", "track order 100001")
    assert status == 200
    assert body == [{"recipient_id": "c2", "text": technical_trouble_text()}]


async def test_with_the_handoff_database_down_the_message_is_refused_not_answered_over_a_person(
        handoff_db, monkeypatch, tmp_path):
    agent = FakeAgent()
    monkeypatch.setenv("SHOP_DATABASE_URL", f"sqlite:///{tmp_path}/no-such-dir/shop.db")
    async with serving([HandoffRestInput()], agent) as base:
        status, body = await rest_say(base, "c3", "are you still there?")
    assert status == 200
    assert body == [{"recipient_id": "c3", "text": technical_trouble_text()}]
    assert agent.handled == []  # the bot did not answer a conversation a person may have


async def test_a_messaging_app_customer_gets_the_apology_too(handoff_db, messaging_api):
    from tests.channels.test_messaging_channels import channels_for, send, telegram_case

    request, provider, recipient = telegram_case("where is my order?")
    async with serving(channels_for(messaging_api), StoreDownAgent()) as base:
        status, _ = await send(base, request)
        replies = await messaging_api.await_texts(provider, recipient)
    assert 200 <= status < 300
    assert replies == [technical_trouble_text()]


async def test_a_turn_that_went_well_answers_as_before(handoff_db):
    async with serving([HandoffRestInput()], FakeAgent()) as base:
        status, body = await rest_say(base, "c4", "hello")
    assert (status, body) == (200, [{"recipient_id": "c4", "text": "echo: hello"}])


async def test_a_message_that_cannot_be_recorded_for_the_agent_gets_the_apology(handoff_db, monkeypatch):
    from bot.handoff import policy as hp
    from bot.handoff import service as hs

    hs.create_handoff("c5", "rest", [], hp.ASKED)

    def broken(*args, **kwargs):
        raise ConnectionError("the handoff tables are gone")

    monkeypatch.setattr(hs, "hold", broken)
    agent = FakeAgent()
    async with serving([HandoffRestInput()], agent) as base:
        status, body = await rest_say(base, "c5", "hello? anyone?")
    assert (status, body) == (200, [{"recipient_id": "c5", "text": technical_trouble_text()}])
    assert agent.handled == []  # a person has the conversation
