"""A RabbitMQ queue of a test's own, bound to the exchange the Rasa servers publish to, read
in a background thread so any test can look at the events of its conversation."""
from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any, Callable, Dict, List, Optional

import aio_pika


class EventQueue:
    def __init__(self, host: str, port: int, user: str, password: str,
                 queue: str, exchange: str) -> None:
        self.params = dict(host=host, port=port, login=user, password=password)
        self.queue_name, self.exchange_name = queue, exchange
        self._events: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._failure: Optional[BaseException] = None
        self._connection: Optional[aio_pika.abc.AbstractConnection] = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self, timeout: float = 30) -> None:
        """Declare the exchange and queue as Rasa does (fanout; durable queue) and consume."""
        self._thread.start()
        if not self._ready.wait(timeout) or self._failure is not None:
            raise RuntimeError(f"could not read the RabbitMQ queue: {self._failure}")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.create_task(self._consume())
        self._loop.run_forever()

    async def _consume(self) -> None:
        try:
            self._connection = await aio_pika.connect(**self.params, timeout=10)
            channel = await self._connection.channel()
            exchange = await channel.declare_exchange(self.exchange_name, aio_pika.ExchangeType.FANOUT)
            queue = await channel.declare_queue(self.queue_name, durable=True)
            await queue.bind(exchange, "")
            await queue.consume(self._received, no_ack=True)
        except Exception as err:  # reported by start()
            self._failure = err
        self._ready.set()

    async def _received(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        with self._lock:
            self._events.append(json.loads(message.body))

    def events_of(self, sender_id: str) -> List[Dict[str, Any]]:
        with self._lock:
            return [e for e in self._events if e.get("sender_id") == sender_id]

    def wait_for(self, sender_id: str, done: Callable[[List[Dict[str, Any]]], bool],
                 timeout: float = 60) -> List[Dict[str, Any]]:
        """The sender's events once `done(events)` holds (or, after `timeout`, as they are)."""
        deadline = time.monotonic() + timeout
        while True:
            events = self.events_of(sender_id)
            if done(events) or time.monotonic() > deadline:
                return events
            time.sleep(0.2)

    def close(self) -> None:
        """Delete the queue and exchange, then stop the thread."""
        async def teardown() -> None:
            if self._connection is None:
                return
            channel = await self._connection.channel()
            await channel.queue_delete(self.queue_name)
            await channel.exchange_delete(self.exchange_name)
            await self._connection.close()

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(teardown(), self._loop).result(30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
