"""A local stand-in for the messaging providers' APIs (Telegram, Graph, Twilio, Slack).

The channels' API base URLs point here in tests, so no request leaves the machine. Every call
is recorded; the answer is the smallest one each provider's client library accepts. It runs
in its own thread and event loop, because two of the clients (fbmessenger, twilio) block.
"""
from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from aiohttp import web

PROVIDERS = ("telegram", "facebook", "twilio", "slack")
BOT_USERNAME = "shop_test_bot"


@dataclass(frozen=True)
class ApiCall:
    provider: str  # telegram, facebook, twilio, slack
    method: str  # sendMessage, me/messages, Messages.json, chat.postMessage...
    params: Dict[str, Any]  # the form or JSON fields (and the query string)
    headers: Dict[str, str]
    path: str = ""

    @property
    def recipient(self) -> Optional[str]:
        """Who the call writes to, whatever the provider calls it."""
        if self.provider == "facebook":
            recipient = self.params.get("recipient")
            if isinstance(recipient, str):
                recipient = json.loads(recipient)
            return str(recipient.get("id")) if isinstance(recipient, dict) else None
        key = {"telegram": "chat_id", "twilio": "To", "slack": "channel"}[self.provider]
        value = self.params.get(key)
        return None if value is None else str(value)

    @property
    def text(self) -> Optional[str]:
        if self.provider == "facebook":
            message = self.params.get("message")
            if not isinstance(message, dict):
                return None  # a sender action (mark_seen)
            template = (message.get("attachment") or {}).get("payload") or {}
            return message.get("text") or template.get("text")  # text, or text with buttons
        return self.params.get("Body" if self.provider == "twilio" else "text")


def _refusal(provider: str) -> web.Response:
    """How each provider says no to a message (the chat is gone, the number blocked...)."""
    if provider == "telegram":
        return web.json_response({"ok": False, "error_code": 400,
                                  "description": "Bad Request: chat not found"}, status=400)
    if provider == "facebook":
        return web.json_response({"error": {"message": "(#551) This person isn't available right now.",
                                            "type": "OAuthException", "code": 551}}, status=400)
    if provider == "twilio":
        return web.json_response({"code": 21610, "message": "Attempt to send to unsubscribed recipient",
                                  "status": 400}, status=400)
    return web.json_response({"ok": False, "error": "channel_not_found"})


def _answer(provider: str, method: str, params: Dict[str, Any]) -> web.Response:
    if provider == "telegram":
        results: Dict[str, Any] = {
            "getMe": {"id": 4242, "is_bot": True, "first_name": "Shop", "username": BOT_USERNAME},
            "sendMessage": {"message_id": 1, "date": int(time.time()), "text": params.get("text"),
                            "chat": {"id": int(params.get("chat_id", 0)), "type": "private"}},
        }
        return web.json_response({"ok": True, "result": results.get(method, True)})
    if provider == "facebook":
        return web.json_response({"recipient_id": ApiCall(provider, method, params, {}).recipient,
                                  "message_id": "mid.stand-in"})
    if provider == "twilio":
        return web.json_response({"sid": "SM" + "0" * 32, "to": params.get("To"),
                                  "from": params.get("From"), "body": params.get("Body"),
                                  "status": "queued"}, status=201)
    return web.json_response({"ok": True, "channel": params.get("channel"), "ts": "1700000000.000100"})


class MessagingApiStandIn:
    """Serves all four APIs on one free local port; `calls` is everything they received."""

    def __init__(self) -> None:
        self.calls: List[ApiCall] = []
        self._refuse: Dict[str, int] = {}  # provider -> how many messages to refuse
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._runner: Optional[web.AppRunner] = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> Dict[str, str]:
        """The channels' API base-URL variables, all pointing here."""
        return {"TELEGRAM_API_URL": f"{self.base_url}/telegram",
                "FACEBOOK_GRAPH_URL": f"{self.base_url}/facebook",
                "TWILIO_API_URL": f"{self.base_url}/twilio",
                "SLACK_API_URL": f"{self.base_url}/slack/api/"}

    async def _record(self, request: web.Request) -> web.Response:
        provider, _, rest = request.match_info["tail"].partition("/")
        if provider not in PROVIDERS:
            return web.json_response({"error": f"no stand-in for {provider}"}, status=404)
        if provider == "telegram":  # bot<token>/<method>
            method = rest.rsplit("/", 1)[-1]
        elif provider == "facebook":  # v2.12/me/messages
            method = rest.split("/", 1)[-1]
        else:
            method = rest.rsplit("/", 1)[-1]
        params: Dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        else:
            params.update(dict(await request.post()))
        call = ApiCall(provider, method, params, dict(request.headers), request.path)
        with self._changed:
            refused = call.text is not None and self._refuse.get(provider, 0) > 0
            if refused:
                self._refuse[provider] -= 1
            else:
                self.calls.append(call)
            self._changed.notify_all()
        return _refusal(provider) if refused else _answer(provider, method, params)

    def refuse_next(self, provider: str, count: int = 1) -> None:
        """Refuse the next `count` messages sent through `provider` (they are not recorded)."""
        with self._changed:
            self._refuse[provider] = count

    def start(self) -> "MessagingApiStandIn":
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._record)
        self._runner = web.AppRunner(app, access_log=None)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(10)
        return self

    async def _serve(self) -> None:
        assert self._runner is not None
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # ------------------------------------------------------------------ what tests ask

    def sent(self, provider: str, recipient: str) -> List[ApiCall]:
        """The messages sent to `recipient` (not sender actions like Messenger's mark_seen)."""
        with self._changed:
            return [c for c in self.calls if c.provider == provider
                    and c.recipient == recipient and c.text is not None]

    def texts(self, provider: str, recipient: str) -> List[str]:
        return [c.text or "" for c in self.sent(provider, recipient)]

    def wait_for_texts(self, provider: str, recipient: str, count: int = 1,
                       timeout: float = 60, containing: str = "") -> List[str]:
        """The texts sent to `recipient` once there are at least `count` (and one of them
        contains `containing`): Slack answers after its webhook returned. Whatever there is
        after `timeout` seconds."""
        def enough() -> bool:
            texts = [c.text or "" for c in self.calls if c.provider == provider
                     and c.recipient == recipient and c.text is not None]
            return len(texts) >= count and any(containing in t for t in texts)

        with self._changed:
            self._changed.wait_for(enough, timeout)
        return self.texts(provider, recipient)

    async def await_texts(self, provider: str, recipient: str, count: int = 1,
                          timeout: float = 60) -> List[str]:
        """wait_for_texts for a test whose own event loop is sending the replies."""
        return await asyncio.to_thread(self.wait_for_texts, provider, recipient, count, timeout)

    def calls_matching(self, test: Callable[[ApiCall], bool], timeout: float = 0) -> List[ApiCall]:
        """The calls that pass `test`, waiting up to `timeout` seconds for a first one."""
        with self._changed:
            self._changed.wait_for(lambda: any(test(c) for c in self.calls), timeout)
            return [c for c in self.calls if test(c)]
