"""Shared pieces of the desk tests: config, a fresh handoff database, a logged-in client."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import List, Tuple

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.desk import DeskConfig, create_app
from bot.desk.passwords import hash_password
from bot.desk.reply_push import PushResult
from tests.support.fresh_shop import FIXED_NOW, fresh_shop

AGENT, PASSWORD = "alice", "correct horse battery"
OTHER_AGENT, OTHER_PASSWORD = "bob", "another secret pw"
TOKEN = "test-api-token-0123456789abcdef"
AGENT_HASHES = {AGENT: hash_password(PASSWORD), OTHER_AGENT: hash_password(OTHER_PASSWORD)}
AUTH = {"Authorization": f"Bearer {TOKEN}"}
T0 = FIXED_NOW.timestamp() - 20 * 60  # the conversation started 20 minutes before "now"


def make_config(**changes) -> DeskConfig:
    config = DeskConfig(secret=b"s" * 32, agents=dict(AGENT_HASHES), api_token=TOKEN,
                        timezone="America/Los_Angeles", timezone_label="Pacific time")
    return replace(config, **changes)


def events(*turns: Tuple[str, str]) -> List[dict]:
    """Rasa tracker events: ('customer', text) carries intent human_handoff at 0.93."""
    out = []
    for i, (sender, text) in enumerate(turns):
        event = {"event": "user" if sender == "customer" else "bot", "text": text, "timestamp": T0 + 60 * i}
        if sender == "customer":
            event["parse_data"] = {"intent": {"name": "human_handoff", "confidence": 0.93}}
        out.append(event)
    return out


def new_handoff(backend, conversation_id: str = "conv-1", reason: str = "asked_for_person", **kwargs) -> int:
    turns = kwargs.pop("turns", (("customer", "hello"), ("bot", "Hi! How can I help?"),
                                 ("customer", "I want to talk to a person")))
    channel = kwargs.pop("channel", "rest")
    return backend.create_handoff(conversation_id, channel, events(*turns), reason, **kwargs).id


@pytest.fixture
def backend(tmp_path, monkeypatch):
    """bot.handoff.service on a fresh SQLite shop of its own (never the shared test database)."""
    from bot.handoff import service as handoff_service

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    monkeypatch.setenv("SHOP_NOW", FIXED_NOW.isoformat())
    fresh_shop(url)
    return handoff_service


@pytest.fixture
def hook_calls() -> list:
    return []


@pytest.fixture
async def client(backend, hook_calls):
    async def hook(reply) -> PushResult:
        hook_calls.append((reply.conversation_id, reply.text))
        return PushResult(False, "the chat window is closed")

    app = create_app(make_config(), service=backend, on_agent_message=hook)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def login(client: TestClient, username: str = AGENT, password: str = PASSWORD) -> str:
    """Log in and return the page's CSRF token."""
    response = await client.post("/login", data={"username": username, "password": password})
    assert response.status == 200 and response.url.path == "/", await response.text()
    return csrf_of(await response.text())


def csrf_of(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', html)
    assert match, "no CSRF token in the page"
    return match.group(1)
