"""The REST channel (POST /webhooks/rest/webhook), quiet while a person has the conversation.

Same request and response JSON as Rasa's RestInput. REST cannot push, so agent messages
(marked {"custom": {"from": "agent"}}) come back with the customer's next message, before
any bot reply.
"""
from __future__ import annotations

import copy
import json
import os
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import structlog
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.core.settings import REST_TOKEN_ENV
from bot.core.tokens import bearer_matches
from channels import handoff_gate, messaging_webhook, turn_guard
from channels.client_address import stamped

structlogger = structlog.get_logger()

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def _stream(first: List[Dict[str, Any]], then: Optional[Callable[[Any], Awaitable[None]]] = None):
    """A streaming body: `first` as JSON lines, then what `then` writes."""
    async def write(resp: Any) -> None:
        for message in first:
            await resp.write(json.dumps(message) + "\n")
        if then is not None:
            await then(resp)

    return response.stream(write, content_type="text/event-stream")


def rest_authorized(header: Optional[str]) -> bool:
    """True when no REST token is set (the local demo), or the header carries it."""
    token = os.environ.get(REST_TOKEN_ENV, "").strip()
    return not token or bearer_matches(header, token)


class HandoffRestInput(RestInput):
    """RestInput that records messages instead of answering while a handoff is open."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def _run_bot(self, on_new_message: OnNewMessage, text: Optional[Text], sender_id: Text,
                       input_channel: Text, metadata: Any) -> List[Dict[str, Any]]:
        collector = CollectingOutputChannel()
        try:
            # A turn that failed (a store or the action server down) answers with the apology
            # asking to send the message again, not with silence or a reply from nowhere.
            await turn_guard.run_turn(on_new_message, UserMessage(
                text, collector, sender_id, input_channel=input_channel, metadata=metadata))
        except CancelledError:
            structlogger.error("rest.message.received.timeout", text=copy.deepcopy(text))
        return collector.messages

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}")

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except InvalidUsage:
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "bad_request", "message":
                                      'Send a JSON object like {"sender": "...", "message": "..."}.'},
                                     status=400)
            if not rest_authorized(request.headers.get("Authorization")):
                return response.json({"error": "unauthorized", "message":
                                      f"Send 'Authorization: Bearer <{REST_TOKEN_ENV}>'."}, status=401,
                                     headers={"WWW-Authenticate": 'Bearer realm="rest-channel"'})
            sender_id = await self._extract_sender(request)
            if messaging_webhook.foreign_conversation(sender_id):
                return response.json({"error": "bad_request", "message":
                                      f"A sender id may not start with '{str(sender_id).partition(':')[0]}:': "
                                      "that namespace belongs to a messaging app's conversations."},
                                     status=400)
            text = self._extract_message(request)
            stream = bool_arg(request, "stream", default=False)
            agent = getattr(request.app.ctx, "agent", None)
            turn = await handoff_gate.begin_turn(sender_id, text, agent)
            pending = [handoff_gate.rest_message(sender_id, t) for t in turn.pending]
            if turn.held:
                held = pending + handoff_gate.rest_reply(sender_id, turn)
                return _stream(held) if stream else response.json(held)

            input_channel = self._extract_input_channel(request)
            metadata = stamped(self.get_metadata(request), request)
            if stream:
                return _stream(pending, self.stream_response(
                    on_new_message, text, sender_id, input_channel, metadata))
            replies = await self._run_bot(on_new_message, text, sender_id, input_channel, metadata)
            return response.json(pending + replies)

        return webhook
