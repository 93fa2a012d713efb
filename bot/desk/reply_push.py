"""Messages from the team pushed to the customer at once, on whatever channel they wrote from.

The desk POSTs each message to `/webhooks/<channel>/handoff_push` of the Rasa servers
(channels/handoff_push.py): the widget's socket.io channel shows it if the widget is connected
there, a messaging channel sends it through the provider's API (Telegram, Messenger, Twilio SMS
and WhatsApp, Slack). With several Rasa replicas, SHOP_RASA_URLS lists them (comma-separated;
default SHOP_RASA_URL): for the widget each is asked in turn until the one holding its socket
shows it; a message for a messaging app goes through the first replica that answers (asking
another after an answer, or after a timeout, could send it twice).

`deliver(app, message_id)` pushes one message now; `deliver_due(app)` tries again those that
did not go (the outbox job runs it). A message is marked delivered only when a channel said it
went (bot/handoff/replies.py).
"""
from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from aiohttp import ClientConnectorError, ClientError, ClientSession, ClientTimeout

from bot.core.settings import RASA_URL_ENV, RASA_URLS_ENV

log = logging.getLogger("bot.desk")

DEFAULT_RASA_URL = "http://localhost:5005"
PUSH_TIMEOUT_SECONDS = 10
#: Only the replica holding the widget's socket can show a message; the others say so.
WIDGET_CHANNEL = "socketio"


@dataclass(frozen=True)
class PushResult:
    delivered: bool
    error: Optional[str] = None  # why not
    failed: bool = False  # a channel or provider refused it, or none could be reached (else: waiting)


def rasa_urls(env: Optional[Dict[str, str]] = None) -> List[str]:
    """The Rasa servers to push through, in order."""
    env = dict(os.environ) if env is None else env
    given = env.get(RASA_URLS_ENV, "").strip() or env.get(RASA_URL_ENV, "").strip() or DEFAULT_RASA_URL
    return [url.strip().rstrip("/") for url in given.replace(" ", ",").split(",") if url.strip()]


def _problem(base: str, channel: str, status: int, answer: Dict[str, Any]) -> str:
    if status == 404:
        return f"the Rasa server at {base} does not serve the {channel} channel"
    if status == 401:
        return f"the Rasa server at {base} refused the push token (SHOP_PUSH_TOKEN must be the same for both)"
    return str(answer.get("error") or answer.get("message") or f"HTTP {status} from {base}")


def channel_push_hook(urls: List[str], token: Optional[str]):
    """An on_agent_message hook: push a `bot.handoff.replies.Reply` through the first Rasa
    server that delivers it."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def push(reply: Any) -> PushResult:
        body = {"conversation_id": reply.conversation_id, "text": reply.text,
                "message_ids": [reply.message_id]}
        problems: List[str] = []
        async with ClientSession(timeout=ClientTimeout(total=PUSH_TIMEOUT_SECONDS)) as http:
            for base in urls:
                url = f"{base}/webhooks/{reply.channel}/handoff_push"
                try:
                    async with http.post(url, json=body, headers=headers) as response:
                        try:
                            answer = await response.json(content_type=None)
                        except ValueError:
                            answer = {}
                        answer = answer if isinstance(answer, dict) else {}
                        if response.status == 200 and answer.get("pushed") is True:
                            return PushResult(True)
                        if response.status != 200:
                            problems.append(_problem(base, reply.channel, response.status, answer))
                except ClientConnectorError as err:  # this replica is down: the next may take it
                    problems.append(f"cannot reach the Rasa server at {base}: {err}")
                    continue
                except (ClientError, asyncio.TimeoutError) as err:
                    # It may have reached the app: asking another replica could send it twice.
                    return PushResult(False, f"no answer from the Rasa server at {base}: "
                                             f"{err or type(err).__name__}", failed=True)
                if reply.channel != WIDGET_CHANNEL:
                    break  # a messaging app answered through this replica: the others would repeat it
        if problems:
            return PushResult(False, "; ".join(problems), failed=True)
        return PushResult(False, "the customer's chat window is closed: it is shown when they are back")

    return push


async def no_push(reply: Any) -> PushResult:
    """The hook of a desk without Rasa servers to push through."""
    return PushResult(False, "nothing to push it through: it goes out with the customer's next message")


async def _push_and_settle(service: Any, hook: Any, reply: Any) -> PushResult:
    try:
        result = await hook(reply)
    except Exception as err:  # a broken hook: the message stays for the next try
        log.exception("pushing message %s to %s failed", reply.message_id, reply.conversation_id)
        result = PushResult(False, f"the push failed: {err}", failed=True)
    await service.settle_reply(reply.message_id, result.error if not result.delivered else None,
                               failed=result.failed, attempt=reply.attempt)
    if result.failed:
        log.warning("message %s to %s not delivered yet: %s", reply.message_id, reply.conversation_id,
                    result.error)
    return result


async def deliver(service: Any, hook: Any, message_id: int) -> Optional[PushResult]:
    """Push one stored message now; None when it is not for pushing (delivered already, being
    sent, or a channel that cannot be pushed to: it goes with the customer's next message)."""
    reply = await service.claim_reply(message_id)
    if reply is None:
        return None
    return await _push_and_settle(service, hook, reply)


async def deliver_due(service: Any, hook: Any, most: int = 50) -> int:
    """Try again the messages whose next try is due, up to `most`, each leased just before its
    push (a lease never runs out while others are pushed); how many were delivered."""
    delivered = 0
    for _ in range(most):
        due = await service.claim_due_replies(limit=1)
        if not due:
            break
        delivered += (await _push_and_settle(service, hook, due[0])).delivered
    return delivered
