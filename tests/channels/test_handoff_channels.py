"""The REST and socket.io channels while a person has the conversation (fresh database each)."""
from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
import socketio

from bot.handoff import messages as hm
from bot.handoff import policy as hp
from bot.handoff import service as hs
from bot.text.trouble_message import session_expired_text
from channels import session_ids
from channels.handoff_rest import HandoffRestInput
from channels.handoff_socketio import HandoffSocketIOInput
from tests.support.channel_server import FakeAgent, serving
from tests.support.handoff_fixtures import handoff_db  # noqa: F401 - fixture

TOKEN = "push-token-0123456789abcdef"
REST = "/webhooks/rest/webhook"
PUSH = "/webhooks/socketio/handoff_push"


def agent_says(conversation_id: str, text: str) -> int:
    """Open a handoff for the conversation; agent sam replies `text`. Returns the handoff id."""
    ticket = hs.create_handoff(conversation_id, "rest", [], hp.ASKED)
    hs.add_agent_message(ticket.id, "sam", text)
    return ticket.id


async def post(base: str, path: str, body, headers=None):
    async with aiohttp.ClientSession() as http:
        async with http.post(base + path, json=body, headers=headers or {}) as resp:
            return resp.status, await resp.json()


# --------------------------------------------------------------------------- REST


async def test_without_a_handoff_the_bot_answers(handoff_db):
    agent = FakeAgent()
    async with serving([HandoffRestInput()], agent) as base:
        status, body = await post(base, REST, {"sender": "c1", "message": "where is my order?"})
    assert status == 200
    assert body == [{"recipient_id": "c1", "text": "echo: where is my order?"}]
    assert agent.handled == ["where is my order?"] and agent.parsed == []


async def test_while_a_person_has_it_the_message_is_recorded_and_the_bot_is_quiet(handoff_db):
    handoff_id = hs.create_handoff("c1", "rest", [], hp.ASKED).id
    agent = FakeAgent()
    async with serving([HandoffRestInput()], agent) as base:
        status, first = await post(base, REST, {"sender": "c1", "message": "is anyone there?"})
        hs.add_agent_message(handoff_id, "Sam", "Hi, I'm looking at your order now.")
        _, second = await post(base, REST, {"sender": "c1", "message": "thanks"})
        _, third = await post(base, REST, {"sender": "c1", "message": "still there?"})
    # Waiting in the queue: an answer of its own, never silence, with the way back.
    assert status == 200 and [m["recipient_id"] for m in first] == ["c1"]
    assert "Thanks, I've added that for our team. You're next in line" in first[0]["text"]
    assert first[0]["buttons"] == [{"title": "Talk to the assistant", "payload": "/back_to_assistant"}]
    # Once an agent has it, the agent answers: the bot adds nothing.
    assert second == [{"recipient_id": "c1", "custom": {"from": "agent"},
                       "text": "Sam (from our team): Hi, I'm looking at your order now."}]
    assert third == []  # handed out once
    assert agent.handled == [] and agent.parsed == ["is anyone there?", "thanks", "still there?"]
    customer = [m for m in hs.get_handoff(handoff_id)["transcript"] if m["sender"] == "customer"]
    assert [(m["text"], m["intent"], m["confidence"]) for m in customer] == [
        ("is anyone there?", "order_status", 0.87), ("thanks", "order_status", 0.87),
        ("still there?", "order_status", 0.87)]


async def test_talk_to_the_assistant_ends_the_wait_and_the_bot_answers_again(handoff_db):
    handoff_id = hs.create_handoff("c1", "rest", [], hp.ASKED).id
    agent = FakeAgent()
    async with serving([HandoffRestInput()], agent) as base:
        _, back = await post(base, REST, {"sender": "c1", "message": "/back_to_assistant"})
        _, then = await post(base, REST, {"sender": "c1", "message": "where is my order?"})
    assert back == [{"recipient_id": "c1", "text": hm.released_text()}]
    assert then == [{"recipient_id": "c1", "text": "echo: where is my order?"}]
    assert agent.handled == ["where is my order?"]  # the button itself never reached the bot
    assert hs.get_handoff(handoff_id)["status"] == "resolved"


async def test_after_the_agent_resolves_their_last_words_come_before_the_bot(handoff_db):
    handoff_id = agent_says("c1", "Your refund is on its way. Bye!")
    hs.resolve(handoff_id, "sam")
    agent = FakeAgent()
    async with serving([HandoffRestInput()], agent) as base:
        _, body = await post(base, REST, {"sender": "c1", "message": "ok thanks"})
        _, again = await post(base, REST, {"sender": "c1", "message": "hi"})
    assert body == [
        {"recipient_id": "c1", "text": "sam (from our team): Your refund is on its way. Bye!",
         "custom": {"from": "agent"}},
        {"recipient_id": "c1", "text": hm.resumed_text()},  # the bot says it is back, unmarked
        {"recipient_id": "c1", "text": "echo: ok thanks"},
    ]
    assert again == [{"recipient_id": "c1", "text": "echo: hi"}]
    assert agent.handled == ["ok thanks", "hi"]


async def test_streamed_replies_also_put_agent_messages_first(handoff_db):
    hs.resolve(agent_says("c1", "All sorted."), "sam")
    async with serving([HandoffRestInput()], FakeAgent()) as base:
        async with aiohttp.ClientSession() as http:
            async with http.post(base + REST + "?stream=true",
                                 json={"sender": "c1", "message": "hi"}) as resp:
                lines = (await resp.text()).splitlines()
    assert lines == ['{"recipient_id": "c1", "text": "sam (from our team): All sorted.", '
                     '"custom": {"from": "agent"}}',
                     json.dumps({"recipient_id": "c1", "text": hm.resumed_text()}),
                     '{"recipient_id": "c1", "text": "echo: hi"}']


async def test_a_body_that_is_not_a_json_object_gets_400(handoff_db):
    async with serving([HandoffRestInput()], FakeAgent()) as base:
        status, body = await post(base, REST, ["hello"])
    assert status == 400 and body["error"] == "bad_request"


# --------------------------------------------------------------------------- socket.io


def socket_channel() -> HandoffSocketIOInput:
    return HandoffSocketIOInput.from_credentials(
        {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
         "session_persistence": True})


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-0123456789"},
                                     {"Authorization": TOKEN}])
async def test_the_push_endpoint_refuses_requests_without_the_token(handoff_db, monkeypatch, headers):
    monkeypatch.setenv("SHOP_PUSH_TOKEN", TOKEN)
    async with serving([socket_channel()], FakeAgent()) as base:
        status, body = await post(base, PUSH, {"conversation_id": "s1", "text": "hi"}, headers)
    assert status == 401 and body["error"] == "unauthorized"


async def test_the_push_endpoint_is_closed_while_no_token_is_set(handoff_db, monkeypatch):
    monkeypatch.delenv("SHOP_PUSH_TOKEN", raising=False)
    async with serving([socket_channel()], FakeAgent()) as base:
        status, _ = await post(base, PUSH, {"conversation_id": "s1", "text": "hi"},
                               {"Authorization": "Bearer "})
    assert status == 401


async def test_push_checks_its_body_and_reports_a_customer_who_is_not_connected(handoff_db, monkeypatch):
    monkeypatch.setenv("SHOP_PUSH_TOKEN", TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with serving([socket_channel()], FakeAgent()) as base:
        bad = await post(base, PUSH, {"conversation_id": "s1", "text": "  "}, auth)
        bad_ids = await post(base, PUSH, {"conversation_id": "s1", "text": "hi", "message_ids": "7"}, auth)
        nobody = await post(base, PUSH, {"conversation_id": "s1", "text": "hi", "message_ids": [7]}, auth)
    assert bad[0] == 400 and "text" in bad[1]["message"]
    assert bad_ids[0] == 400 and "message_ids" in bad_ids[1]["message"]
    assert nobody == (200, {"pushed": False, "message_ids": [7], "reason": "not_connected"})


async def test_a_widget_session_gets_pushes_and_stays_with_the_person(handoff_db, monkeypatch):
    monkeypatch.setenv("SHOP_PUSH_TOKEN", TOKEN)
    agent, received = FakeAgent(), asyncio.Queue()
    client = socketio.AsyncClient()
    client.on("session_confirm", lambda session_id: received.put_nowait(("confirm", session_id)))
    client.on("bot_uttered", lambda data: received.put_nowait(("bot", data)))
    async with serving([socket_channel()], agent) as base:
        await client.connect(base, socketio_path="/socket.io", transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": None})
            kind, s1 = await asyncio.wait_for(received.get(), 10)
            assert kind == "confirm" and session_ids.valid(s1)  # issued by the server
            handoff_id = agent_says(s1, "Hello from Sam")  # stored while we look away
            status, body = await post(base, PUSH, {"conversation_id": s1, "text": "Sam: hi!"},
                                      {"Authorization": f"Bearer {TOKEN}"})
            assert (status, body["pushed"]) == (200, True)
            assert await asyncio.wait_for(received.get(), 10) == (
                "bot", {"text": "Sam: hi!", "metadata": {"from": "agent"}})
            await client.emit("user_uttered", {"message": "my parcel is lost", "session_id": s1})
            assert await asyncio.wait_for(received.get(), 10) == (
                "bot", {"text": "sam (from our team): Hello from Sam", "metadata": {"from": "agent"}})
            hs.resolve(handoff_id, "sam")
            await client.emit("user_uttered", {"message": "hi bot", "session_id": s1})
            assert await asyncio.wait_for(received.get(), 10) == ("bot", {"text": hm.resumed_text()})
            assert await asyncio.wait_for(received.get(), 10) == ("bot", {"text": "echo: hi bot"})
        finally:
            await client.disconnect()
            await client.wait()
    assert agent.handled == ["hi bot"]
    customer = [m["text"] for m in hs.get_handoff(handoff_id)["transcript"] if m["sender"] == "customer"]
    assert customer == ["my parcel is lost"]


async def test_a_widget_that_comes_back_is_shown_the_replies_it_missed(handoff_db):
    received = asyncio.Queue()
    client = socketio.AsyncClient()
    client.on("session_confirm", lambda session_id: received.put_nowait(("confirm", session_id)))
    client.on("bot_uttered", lambda data: received.put_nowait(("bot", data)))
    async with serving([socket_channel()], FakeAgent()) as base:
        await client.connect(base, socketio_path="/socket.io", transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": None})
            _, session = await asyncio.wait_for(received.get(), 10)
            await client.disconnect()
            await client.wait()
            handoff_id = agent_says(session, "Your refund went out today.")  # while it was closed
            await client.connect(base, socketio_path="/socket.io", transports=["polling"])
            await client.emit("session_request", {"session_id": session})
            assert await asyncio.wait_for(received.get(), 10) == ("confirm", session)
            assert await asyncio.wait_for(received.get(), 10) == (
                "bot", {"text": "sam (from our team): Your refund went out today.", "metadata": {"from": "agent"}})
        finally:
            await client.disconnect()
            await client.wait()
    (line,) = [m for m in hs.get_handoff(handoff_id)["transcript"] if m["sender"] == "agent"]
    assert line["delivery"]["status"] == "delivered"


async def test_session_request_awaits_enter_room_when_it_is_a_coroutine(handoff_db):
    channel = socket_channel()
    channel.blueprint(FakeAgent().handle_message)
    sio, calls = channel.sio, []

    async def enter_room(sid, room, namespace=None):  # python-socketio 5.10+
        calls.append(("enter", sid, room, namespace))

    async def emit(event, data=None, room=None, namespace=None, **_):
        calls.append(("emit", event, data, room))

    sio.enter_room, sio.emit = enter_room, emit
    issued = session_ids.issue()
    await sio.handlers["/"]["session_request"]("sid-1", {"session_id": issued})
    await sio.handlers["/"]["session_request"]("sid-2", None)
    assert calls[:2] == [("enter", "sid-1", issued, "/"), ("emit", "session_confirm", issued, "sid-1")]
    assert calls[2][:2] == ("enter", "sid-2") and session_ids.valid(calls[2][2])  # a new session id
    assert calls[3] == ("emit", "session_confirm", calls[2][2], "sid-2")


async def test_the_desks_api_token_cannot_push_to_customers(handoff_db, monkeypatch):
    """The API token is handed to tools; before, it also let them push text into any widget."""
    monkeypatch.setenv("SHOP_DESK_API_TOKEN", "desk-api-token-0123456789")
    monkeypatch.setenv("SHOP_PUSH_TOKEN", TOKEN)
    async with serving([socket_channel()], FakeAgent()) as base:
        status, _ = await post(base, PUSH, {"conversation_id": "s1", "text": "hi"},
                               {"Authorization": "Bearer desk-api-token-0123456789"})
    assert status == 401


async def test_a_client_cannot_pick_another_customers_session_id(handoff_db):
    """Before, the widget's session id was whatever the client sent: knowing (or guessing)
    another customer's id continued their conversation."""
    agent, received = FakeAgent(), asyncio.Queue()
    client = socketio.AsyncClient()
    client.on("session_confirm", lambda session_id: received.put_nowait(("confirm", session_id)))
    client.on("bot_uttered", lambda data: received.put_nowait(("bot", data)))
    victim = "4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99"  # an unsigned id, as Rasa's channel accepted
    async with serving([socket_channel()], agent) as base:
        await client.connect(base, socketio_path="/socket.io", transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": victim})
            kind, given = await asyncio.wait_for(received.get(), 10)
            assert kind == "confirm" and given != victim and session_ids.valid(given)
            await client.emit("user_uttered", {"message": "where is my order", "session_id": victim})
            assert await asyncio.wait_for(received.get(), 10) == ("bot", {"text": session_expired_text()})
        finally:
            await client.disconnect()
            await client.wait()
    assert agent.handled == []


async def test_with_a_rest_token_set_the_rest_channel_needs_it(handoff_db, monkeypatch):
    monkeypatch.setenv("SHOP_REST_TOKEN", "rest-token-0123456789abcdef")
    agent = FakeAgent()
    async with serving([HandoffRestInput()], agent) as base:
        refused = await post(base, REST, {"sender": "c1", "message": "hi"}, {})
        wrong = await post(base, REST, {"sender": "c1", "message": "hi"}, {"Authorization": "Bearer nope"})
        ok = await post(base, REST, {"sender": "c1", "message": "hi"},
                        {"Authorization": "Bearer rest-token-0123456789abcdef"})
    assert refused[0] == 401 and wrong[0] == 401 and ok[0] == 200
    assert agent.handled == ["hi"]
