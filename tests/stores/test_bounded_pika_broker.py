"""The RabbitMQ broker keeps a bounded backlog while RabbitMQ is down, says what it shed, and
publishes what it kept, in order, once it is back."""
from __future__ import annotations

import asyncio
import logging
from typing import List

from rasa.core.brokers.pika import PikaEventBroker

from stores.bounded_pika_broker import BoundedPikaEventBroker


class Exchange:
    """Stands in for the RabbitMQ exchange: refuses while `down`, else records the bodies."""

    def __init__(self) -> None:
        self.down = True
        self.published: List[bytes] = []

    async def publish(self, message, routing_key: str) -> None:
        if self.down:
            raise ConnectionError("Connection refused")
        self.published.append(message.body)


async def broker_with(exchange: Exchange, cls=BoundedPikaEventBroker, **kwargs) -> PikaEventBroker:
    broker = cls("localhost", "guest", "guest", queues=["q"], event_loop=asyncio.get_running_loop(), **kwargs)
    broker._exchange = exchange
    return broker


async def publish_all(broker: PikaEventBroker, count: int) -> None:
    for i in range(count):
        broker.publish({"event": "user", "text": f"m{i}", "sender_id": "c"})
    await asyncio.gather(*list(broker._background_tasks))


async def test_an_outage_keeps_at_most_the_limit_and_logs_what_was_shed(caplog):
    exchange = Exchange()
    broker = await broker_with(exchange, max_unpublished_events=10)
    with caplog.at_level(logging.WARNING, logger="stores.bounded_pika_broker"):
        await publish_all(broker, 25)
    assert (broker.waiting, broker.shed) == (10, 15)
    assert "the oldest dropped (1 so far)" in caplog.text
    exchange.down = False
    broker._publish_unpublished_messages()  # what Rasa runs when the connection is back
    await asyncio.gather(*list(broker._background_tasks))
    assert [b.decode() for b in exchange.published] == [
        f'{{"event": "user", "text": "m{i}", "sender_id": "c"}}' for i in range(15, 25)]
    assert broker.waiting == 0


async def test_rasas_own_broker_would_keep_every_event():
    broker = await broker_with(Exchange(), cls=PikaEventBroker)
    await publish_all(broker, 25)
    assert len(broker._unpublished_events) == 25  # the unbounded growth this store prevents
