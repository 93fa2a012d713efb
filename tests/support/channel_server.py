"""A small Sanic app serving input channels the way `rasa run` does, with a fake Rasa agent."""
from __future__ import annotations

import asyncio
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, List

from rasa.core.channels.channel import InputChannel, register
from sanic import Sanic

from ops.ports import free_port


class FakeAgent:
    """Answers "echo: <text>" and sees every message as `order_status` at 0.87."""

    def __init__(self) -> None:
        self.handled: List[str] = []
        self.parsed: List[str] = []
        self.senders: List[str] = []

    async def handle_message(self, message: Any) -> None:
        self.handled.append(message.text)
        self.senders.append(message.sender_id)
        await message.output_channel.send_text_message(message.sender_id, f"echo: {message.text}")

    async def parse_message(self, text: str) -> Dict[str, Any]:
        self.parsed.append(text)
        return {"text": text, "intent": {"name": "order_status", "confidence": 0.87}}


@asynccontextmanager
async def serving(channels: List[InputChannel], agent: Any) -> AsyncIterator[str]:
    """The channels' blueprints under /webhooks/ on a free local port; yields the base URL."""
    # Test mode lets one process start several Sanic apps (it keeps Sanic's "touch-up" of
    # its protocol code from running twice on the same methods); sanic-testing does the same.
    Sanic.test_mode = True
    app = Sanic(f"handoff_channels_{uuid.uuid4().hex}", configure_logging=False)
    app.ctx.agent = agent
    register(channels, app, route="/webhooks/")
    before = asyncio.all_tasks()
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True,
                                     access_log=False)
    await server.startup()
    await server.start_serving()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for connection in list(server.connections):
            connection.close()
        server.close()
        await server.wait_closed()
        # Tasks the server left behind (socket.io ping timers...) end with it.
        leftovers = asyncio.all_tasks() - before - {asyncio.current_task()}
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)
