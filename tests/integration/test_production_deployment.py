"""The production deployment on the local services: two Rasa servers share one PostgreSQL
(tracker store and shop), one Redis (lock store) and one RabbitMQ (events), with one action
server and one desk.

Everything here is the test's own: a throwaway database, a Redis key prefix, a RabbitMQ
exchange and queue, all removed afterwards. The Rasa servers reach Redis, RabbitMQ and the
tracker store through proxies the tests can cut, because the real services are shared with
other developers and must never be stopped. Skipped, with the reason, when a service is not
reachable.
"""
from __future__ import annotations

import json
import os
import threading
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
from sqlalchemy.engine import make_url

from bot.text.trouble_message import technical_trouble_text
from ops.deployment import PRODUCTION_ENDPOINTS, production_env
from ops.model_cache import ensure_model
from ops.ports import free_port
from ops.service_checks import check_database, check_rabbitmq, check_redis
from ops.stack import Stack, wait_until_up
from ops.throwaway_postgres import throwaway_postgres
from tests.conftest import DEMO_ORDERS, FIXED_NOW
from tests.integration.conftest import RestChat
from tests.support.event_queue import EventQueue
from tests.support.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

ADMIN_URL = os.environ.get("SHOP_TEST_POSTGRES_URL", "postgresql://localhost/test")
REDIS = ("127.0.0.1", 6379)
RABBITMQ = ("127.0.0.1", 5672, "guest", "guest")
REDIS_DB = 1
TROUBLE = "something went wrong on our side"
#: Generous: two Rasa servers load their models at once on a shared 2-core machine.
START_TIMEOUT = 900


def _skip_unless_services() -> None:
    problems = [p for p in (
        check_database("PostgreSQL", "SHOP_TEST_POSTGRES_URL", ADMIN_URL),
        check_redis(*REDIS, REDIS_DB, ""),
        check_rabbitmq(*RABBITMQ),
    ) if p]
    if problems:
        pytest.skip("; ".join(problems))


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A database of this module's own, holding the shop and the tracker store."""
    _skip_unless_services()
    with throwaway_postgres(ADMIN_URL, prefix="shop_prod") as url:
        yield url


@pytest.fixture(scope="module")
def redis_proxy() -> Iterator[TcpProxy]:
    proxy = TcpProxy(*REDIS)
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def tracker_proxy(pg_url: str) -> Iterator[TcpProxy]:
    """The Rasa servers' way to the tracker store; the shop database is reached directly."""
    url = make_url(pg_url)
    proxy = TcpProxy(url.host or "localhost", url.port or 5432)
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def rabbitmq_proxy() -> Iterator[TcpProxy]:
    proxy = TcpProxy(*RABBITMQ[:2])
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def names() -> Dict[str, str]:
    tag = uuid.uuid4().hex[:10]
    return {"prefix": f"shoptest{tag}", "queue": f"shop_test_{tag}", "exchange": f"shop_test_{tag}"}


@pytest.fixture(scope="module")
def events(names: Dict[str, str], pg_url: str) -> Iterator[EventQueue]:
    """The module's queue, read straight from RabbitMQ (not through the proxy)."""
    queue = EventQueue(*RABBITMQ, names["queue"], names["exchange"])
    queue.start()
    yield queue
    queue.close()


@pytest.fixture(scope="module")
def prod_stack(pg_url: str, names: Dict[str, str], redis_proxy: TcpProxy,
               rabbitmq_proxy: TcpProxy, tracker_proxy: TcpProxy, events: EventQueue,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One action server, one desk and two Rasa servers with endpoints.production.yml."""
    import redis

    from tests.support.fresh_shop import fresh_shop

    fresh_shop(pg_url, DEMO_ORDERS).dispose()
    actions_port = free_port()
    env = production_env({
        "SHOP_REST_TOKEN": "production-test-rest-token",
        "SHOP_DATABASE_URL": pg_url,
        "SHOP_TRACKER_STORE_URL": make_url(pg_url).set(host="127.0.0.1", port=tracker_proxy.port)
        .render_as_string(hide_password=False),
        "SHOP_REDIS_HOST": "127.0.0.1", "SHOP_REDIS_PORT": str(redis_proxy.port),
        "SHOP_REDIS_DB": str(REDIS_DB), "SHOP_REDIS_KEY_PREFIX": names["prefix"],
        "SHOP_RABBITMQ_HOST": "127.0.0.1", "SHOP_RABBITMQ_PORT": str(rabbitmq_proxy.port),
        "SHOP_RABBITMQ_QUEUE": names["queue"], "SHOP_RABBITMQ_EXCHANGE": names["exchange"],
    }, actions_port)
    workdir: Path = tmp_path_factory.mktemp("prod-stack")
    stack = Stack(
        model=ensure_model(),
        rasa_port=free_port(),
        more_rasa_ports=(free_port(),),
        actions_port=actions_port,
        desk_port=free_port(),
        storefront_port=free_port(),
        endpoints=PRODUCTION_ENDPOINTS,
        effective_credentials=workdir / "credentials.yml",
        log_dir=workdir / "logs",
        env={**env, "SHOP_NOW": FIXED_NOW.isoformat(), "SHOP_DESK_API_TOKEN": "production-test-desk-token"},
    )
    stack.start(timeout=START_TIMEOUT)
    try:
        yield stack
    finally:
        stack.stop()
        client = redis.Redis(host=REDIS[0], port=REDIS[1], db=REDIS_DB)
        for key in client.scan_iter(f"{names['prefix']}:*"):
            client.delete(key)
        client.close()


class Customer:
    """One conversation, each message sent to the Rasa server the test names."""

    def __init__(self, stack: Stack, sender: str) -> None:
        self.stack, self.sender = stack, sender
        self.chats = [RestChat(stack, sender, rasa_url=url) for url in stack.rasa_urls]

    def text(self, server: int, message: str) -> str:
        return self.chats[server].text(message)

    def tracker(self, server: int) -> Dict:
        url = (f"{self.stack.rasa_urls[server]}/conversations/{self.sender}/tracker"
               f"?token={self.stack.api_token}")
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.load(response)


def _turns(events: List[Dict]) -> List[Dict]:
    """User and bot events only, as (type, text) in order."""
    return [{"event": e["event"], "text": e.get("text")} for e in events if e["event"] in ("user", "bot")]


def _bot_replies_to(turns: List[Dict], message: str) -> List[str]:
    """What the bot said after `message`, up to the next user message."""
    start = next(i for i, t in enumerate(turns) if t["event"] == "user" and t["text"] == message)
    replies = []
    for turn in turns[start + 1:]:
        if turn["event"] == "user":
            break
        replies.append(turn["text"] or "")
    return replies


MARIA = "maria.gonzalez@example.com"  # owns reference order 100001


def _as_kept(message: str) -> str:
    """A message as the tracker store keeps it: the proof of ownership masked."""
    return message.replace(MARIA, "[hidden]")


def _assert_each_message_once_with_its_reply(events: List[Dict], sent: List[str]) -> None:
    turns = _turns(events)
    assert [t["text"] for t in turns if t["event"] == "user"] == [_as_kept(m) for m in sent]
    # every user message is followed by at least one bot message before the next user message
    for i, turn in enumerate(turns):
        if turn["event"] == "user":
            assert i + 1 < len(turns) and turns[i + 1]["event"] == "bot", turns


def test_a_conversation_alternating_between_two_servers_has_one_consistent_tracker(prod_stack, events):
    customer = Customer(prod_stack, "prod-alternating")
    script = [
        ("hi", "order"),
        ("where is my order?", "order number"),
        ("it's #100001", "email address or billing ZIP"),
        ("my email is maria.gonzalez@example.com", "Order #100001 is on its way"),
        ("where is order 100001 now?", "Order #100001 is on its way"),
        ("thanks!", "You're welcome"),
    ]
    for turn, (message, expected) in enumerate(script):
        assert expected in customer.text(turn % 2, message)

    sent = [message for message, _ in script]
    first, second = customer.tracker(0), customer.tracker(1)
    assert first["events"] == second["events"]
    _assert_each_message_once_with_its_reply(first["events"], sent)
    assert "100001" in first["slots"]["verified_orders"]
    # the email was the proof: neither the stored conversation nor the broker holds it
    assert MARIA not in json.dumps(first) and first["slots"]["owner_proof"] == "[hidden]"

    # the same turns went to RabbitMQ, each user message once and in order
    published = events.wait_for(customer.sender, lambda e: sum(x["event"] == "user" for x in e) >= len(sent)
                                and _turns(e)[-1]["event"] == "bot")
    assert _turns(published) == _turns(first["events"])
    assert MARIA not in json.dumps(published)


def test_messages_sent_at_once_to_both_servers_are_handled_one_after_the_other(prod_stack):
    customer = Customer(prod_stack, "prod-concurrent")
    customer.text(0, "hi")
    messages = ["do you accept paypal?", "how long does a refund take?"]
    replies: Dict[int, str] = {}
    threads = [threading.Thread(target=lambda i=i: replies.__setitem__(i, customer.text(i, messages[i])))
               for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(replies.get(i) for i in range(2)), replies
    # The Redis lock makes the second message wait for the first turn to end, so the
    # tracker holds each message once, followed by its own answer, whichever came first.
    turns = _turns(customer.tracker(1)["events"])
    order = [t["text"] for t in turns if t["event"] == "user"][1:]
    assert sorted(order) == sorted(messages)
    _assert_each_message_once_with_its_reply(customer.tracker(0)["events"], ["hi", *order])
    for i, message in enumerate(messages):
        assert replies[i] == "\n\n".join(_bot_replies_to(turns, message))


def test_a_restarted_server_continues_the_conversation_where_it_was(prod_stack):
    customer = Customer(prod_stack, "prod-restart")
    assert "Order #100001 is on its way" in customer.text(
        0, "track order 100001, email maria.gonzalez@example.com")

    restarted = prod_stack.rasa_servers[0]
    restarted.stop()
    # the other server goes on with the verified customer meanwhile: no new proof asked
    replies = customer.chats[1].say("and my other orders?")
    payloads = [b["payload"] for m in replies for b in m.get("buttons", [])]
    assert '/order_status{"order_number":"100006"}' in payloads

    restarted.start()
    wait_until_up([restarted], START_TIMEOUT, prod_stack.log_dir)
    assert "Order #100006 has been delivered" in customer.text(
        0, '/order_status{"order_number":"100006"}')
    tracker = customer.tracker(0)
    assert {"100001", "100006"} <= set(tracker["slots"]["verified_orders"])
    _assert_each_message_once_with_its_reply(tracker["events"], [
        "track order 100001, email maria.gonzalez@example.com", "and my other orders?",
        '/order_status{"order_number":"100006"}'])


def test_without_redis_the_customer_is_asked_to_retry_and_nothing_is_half_stored(prod_stack, redis_proxy):
    customer = Customer(prod_stack, "prod-redis-down")
    assert "order number" in customer.text(0, "where is my order?")
    redis_proxy.cut()
    try:
        assert TROUBLE in customer.text(1, "it's #100001")
        assert TROUBLE in customer.text(0, "it's #100001")
    finally:
        redis_proxy.restore()
    # Redis is back: the same message goes on from where the conversation was
    assert "email address or billing ZIP" in customer.text(1, "it's #100001")
    assert "Order #100001 is on its way" in customer.text(0, "maria.gonzalez@example.com")
    _assert_each_message_once_with_its_reply(customer.tracker(0)["events"], [
        "where is my order?", "it's #100001", "maria.gonzalez@example.com"])


def test_after_a_tracker_store_outage_the_stored_conversation_goes_on(prod_stack, tracker_proxy):
    customer = Customer(prod_stack, "prod-tracker-down")
    assert "email address or billing ZIP" in customer.text(1, "track order 100001")
    tracker_proxy.cut()
    try:
        # Rasa's fail-safe would answer from an empty conversation in memory and keep nothing:
        # the customer is asked to send it again instead (channels/turn_guard.py)
        assert customer.text(0, "hello") == technical_trouble_text()
    finally:
        tracker_proxy.restore()
    # Both servers' pooled connections died with the outage; checked before use, they are
    # replaced, and the conversation goes on from what was stored before it.
    assert "Order #100001 is on its way" in customer.text(0, "maria.gonzalez@example.com")
    tracker = customer.tracker(1)
    _assert_each_message_once_with_its_reply(tracker["events"], [
        "track order 100001", "maria.gonzalez@example.com"])
    assert "100001" in tracker["slots"]["verified_orders"]


def test_without_rabbitmq_the_conversation_goes_on_and_its_events_arrive_later(
        prod_stack, rabbitmq_proxy, events):
    customer = Customer(prod_stack, "prod-rabbitmq-down")
    rabbitmq_proxy.cut()
    try:
        assert "Order #100001 is on its way" in customer.text(
            0, "track order 100001, email maria.gonzalez@example.com")
        assert "You're welcome" in customer.text(1, "thanks!")
    finally:
        rabbitmq_proxy.restore()
    # each server republishes what it could not send once it has reconnected
    published = events.wait_for(customer.sender, lambda e: sum(x["event"] == "user" for x in e) >= 2
                                and sum(x["event"] == "bot" for x in e) >= 2, timeout=90)
    assert sorted(t["text"] for t in _turns(published) if t["event"] == "user") == [
        "thanks!", _as_kept("track order 100001, email maria.gonzalez@example.com")]


def test_an_agent_reply_reaches_a_widget_connected_to_the_second_server(prod_stack):
    """The desk pushes through every replica (SHOP_RASA_URLS): the one holding the socket shows it."""
    import asyncio

    import socketio

    from tests.integration.conftest import DeskApi

    desk = DeskApi(prod_stack)
    token = "production-test-desk-token"

    async def converse() -> list:
        received: asyncio.Queue = asyncio.Queue()
        client = socketio.AsyncClient()
        client.on("session_confirm", lambda session_id: received.put_nowait(("confirm", session_id)))
        client.on("bot_uttered", lambda data: received.put_nowait(("bot", data)))
        await client.connect(prod_stack.rasa_urls[1], socketio_path="/socket.io", transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": None})
            _, session = await asyncio.wait_for(received.get(), 30)
            await client.emit("user_uttered", {"message": "I want to talk to a person", "session_id": session})
            await asyncio.wait_for(received.get(), 60)  # the bot hands over
            _, listed = await asyncio.to_thread(desk.call, "GET", "/api/handoffs?status=queued", None, token)
            (mine,) = [h for h in listed["handoffs"] if h["conversation_id"] == session]
            status, sent = await asyncio.to_thread(
                desk.call, "POST", f"/api/handoffs/{mine['id']}/messages",
                {"agent": "sam", "text": "Hello from the team."}, token)
            assert status == 201 and sent["pushed"] is True, sent
            seen = []
            while not any("Hello from the team." in str(d) for _, d in seen):
                seen.append(await asyncio.wait_for(received.get(), 30))
            return seen
        finally:
            await client.disconnect()

    seen = asyncio.run(converse())
    assert ("bot", {"text": "sam (from our team): Hello from the team.", "metadata": {"from": "agent"}}) in seen
