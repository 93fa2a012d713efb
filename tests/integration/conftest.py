"""The real servers, started once per test run: the Rasa server, the action server, the agent
desk and the storefront (the chat widget's page)."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest

from bot.profile.faq import FAQ_FILE
from ops.model_cache import ensure_model
from ops.ports import free_port
from ops.stack import Stack
from tests.support.messaging_api_stand_in import MessagingApiStandIn
from tests.support.messaging_requests import SECRETS as MESSAGING_SECRETS
from tests.support.webhook_receiver import Receiver

DESK_TOKEN = "integration-test-desk-token"
#: Shared by the storefront (signs the demo customer's token) and the action server (checks it).
CUSTOMER_TOKEN_SECRET = "integration-test-customer-token-secret"


@pytest.fixture(scope="session")
def stack_db(shop_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The servers' own demo shop, so conversations that write (returns, cancellations) never
    change the shop the other tests read. Same seed and 'now' as shop_db."""
    from tests.conftest import DEMO_ORDERS
    from tests.support.fresh_shop import fresh_shop

    url = f"sqlite:///{tmp_path_factory.mktemp('stack-shop') / 'shop.db'}"
    fresh_shop(url, DEMO_ORDERS).dispose()
    return url


#: The on-call webhook's signing secret on the stack (SHOP_HANDOFF_WEBHOOK_SECRET).
WEBHOOK_SECRET = "integration-test-webhook-secret"


@pytest.fixture(scope="session")
def oncall() -> Iterator[Receiver]:
    """The on-call tool's webhook the stack's alerts go to."""
    receiver = Receiver(free_port())
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def bot_stack(stack_db: str, messaging_api: MessagingApiStandIn, oncall: Receiver,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The servers on free ports, reading their own seeded shop at the fixed 'now'.

    Every messaging channel is on, with the test secrets, and talks to the local stand-in
    of the providers' APIs (`messaging_api`) instead of the internet."""
    workdir: Path = tmp_path_factory.mktemp("stack")
    actions_port, rasa_port, desk_port = free_port(), free_port(), free_port()
    storefront_port = free_port()
    endpoints = workdir / "endpoints.yml"
    # The shipped tracker store, with the smallest window (2 to 4 turns), so every conversation
    # of more than four turns here is answered from a window and a snapshot.
    tracker_db = workdir / "tracker.db"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{actions_port}/webhook"\n'
                         "tracker_store:\n  type: stores.sql_tracker_store.PrePingSQLTrackerStore\n"
                         f"  dialect: sqlite\n  db: {tracker_db}\n  window_turns: 2\n")
    stack = Stack(
        model=ensure_model(),
        rasa_port=rasa_port,
        actions_port=actions_port,
        endpoints=endpoints,
        desk_port=desk_port,
        storefront_port=storefront_port,
        log_dir=workdir / "logs",
        effective_credentials=workdir / "credentials.yml",
        # The FAQ the model was trained on, so the fallback's suggestions name its topics.
        env={"SHOP_DATABASE_URL": stack_db, "SHOP_TRACKER_STORE_URL": f"sqlite:///{tracker_db}",
             "SHOP_DESK_API_TOKEN": DESK_TOKEN, "SHOP_FAQ": str(FAQ_FILE),
             "SHOP_CUSTOMER_TOKEN_SECRET": CUSTOMER_TOKEN_SECRET,
             "SHOP_ALERT_WEBHOOK_URL": f"http://127.0.0.1:{oncall.port}/alerts",
             "SHOP_HANDOFF_WEBHOOK_SECRET": WEBHOOK_SECRET, "SHOP_DESK_URL": "https://desk.example-shop.com",
             **MESSAGING_SECRETS, **messaging_api.env()},
    )
    # SHOP_NOW is inherited from the shop_db fixture. A generous ceiling: on a busy 2-core
    # machine loading the model alone can take minutes.
    stack.start(timeout=600)
    yield stack
    stack.stop()


class RestChat:
    """One customer talking to the bot over the REST channel."""

    def __init__(self, stack: Stack, sender: str, rasa_url: Optional[str] = None) -> None:
        self.url = f"{rasa_url or stack.rasa_url}/webhooks/rest/webhook"
        self.sender = sender
        token = stack.env.get("SHOP_REST_TOKEN")  # the production deployment requires one
        self.headers = {"Content-Type": "application/json",
                        **({"Authorization": f"Bearer {token}"} if token else {})}

    def say(self, message: str) -> List[Dict]:
        body = json.dumps({"sender": self.sender, "message": message}).encode()
        request = urllib.request.Request(self.url, data=body, headers=self.headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)

    def text(self, message: str) -> str:
        # The REST channel sends each paragraph ("\n\n") as its own message: join them back.
        return "\n\n".join(m.get("text", "") for m in self.say(message))


@pytest.fixture
def chat(bot_stack: Stack, request: pytest.FixtureRequest) -> RestChat:
    return RestChat(bot_stack, sender=f"test-{request.node.name}")


class DeskApi:
    """The agent desk's JSON API, as a shop's own tool would call it (bearer token)."""

    def __init__(self, stack: Stack) -> None:
        self.base = stack.desk_url

    def call(self, method: str, path: str, body: Optional[Dict] = None, token: str = DESK_TOKEN):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")


@pytest.fixture
def desk(bot_stack: Stack) -> DeskApi:
    return DeskApi(bot_stack)
