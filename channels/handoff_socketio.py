"""The socket.io channel of the chat widget, quiet while a person has the conversation.

On top of Rasa's SocketIOInput:
- `session_request` awaits `enter_room` when python-socketio makes it a coroutine (5.10+;
  Rasa 3.6 does not await it, which silently breaks session persistence);
- session ids are issued and signed by the server (channels/session_ids.py): a client asking
  for an id it was not given gets a new one, and a message under such an id is refused;
- while a handoff is open, customer messages are recorded for the agent and the bot is not run;
- POST /webhooks/socketio/handoff_push (channels/handoff_push.py) shows a message from the
  team in the conversation's widget at once, if it is connected to this server;
- a widget that comes back (session_request with its id) is first shown the messages from the
  team it missed while it was closed.
"""
from __future__ import annotations

import inspect
import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import rasa.shared.utils.io
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.text.trouble_message import session_expired_text
from channels import handoff_gate, handoff_push, session_ids, turn_guard
from channels.client_address import stamped

log = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class HandoffSocketIOInput(SocketIOInput):
    """SocketIOInput with working session persistence, handoff holds and agent pushes."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @property
    def _namespace(self) -> str:
        return self.namespace or "/"

    def connected(self, sio: AsyncServer, room: str) -> bool:
        """Is a client in the conversation's room (its session id, or its sid)?"""
        try:
            return any(True for _ in sio.manager.get_participants(self._namespace, room))
        except (KeyError, AttributeError):
            return False

    async def confirm_session(self, sio: AsyncServer, sid: Text, data: Any) -> None:
        data = dict(data) if isinstance(data, dict) else {}
        if not session_ids.valid(data.get("session_id")):
            data["session_id"] = session_ids.issue()  # ids are the server's to give
        if self.session_persistence:
            entered = sio.enter_room(sid, data["session_id"], namespace=self._namespace)
            if inspect.isawaitable(entered):
                await entered
        await sio.emit("session_confirm", data["session_id"], room=sid, namespace=self._namespace)
        if self.session_persistence:
            for text in await handoff_gate.take_pending(data["session_id"]):
                await sio.emit(self.bot_message_evt, handoff_gate.socket_message(text), room=sid,
                               namespace=self._namespace)
        log.debug("User %s connected to socketIO endpoint.", sid)

    async def handle_message(self, sio: AsyncServer, agent: Any, on_new_message: OnNewMessage,
                             sid: Text, data: Any) -> None:
        data = data if isinstance(data, dict) else {}
        if self.session_persistence:
            if not data.get("session_id"):
                rasa.shared.utils.io.raise_warning(
                    "A message without a valid session_id was received and ignored. Set a "
                    "session id with the `session_request` socketIO event.")
                return
            sender_id = str(data["session_id"])
            if not session_ids.valid(sender_id):
                log.warning("socket.io message under a session id the server did not issue: %r", sender_id)
                await sio.emit(self.bot_message_evt, {"text": session_expired_text()}, room=sid,
                               namespace=self._namespace)
                return
        else:
            sender_id = sid
        text = data.get("message", "")
        turn = await handoff_gate.begin_turn(sender_id, text, agent)
        for pending in turn.pending:
            await sio.emit(self.bot_message_evt, handoff_gate.socket_message(pending),
                           room=sender_id, namespace=self._namespace)
        for reply in handoff_gate.socket_reply(turn):
            await sio.emit(self.bot_message_evt, reply, room=sender_id, namespace=self._namespace)
        if turn.held:
            return
        metadata = data.get(self.metadata_key, {})
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                metadata = {}
        environ = sio.get_environ(sid, namespace=self._namespace) or {}
        metadata = stamped(metadata, environ.get("sanic.request"))
        # e.g. the lock store or tracker store is down: the apology instead of silence
        await turn_guard.run_turn(on_new_message, UserMessage(
            text, SocketIOOutput(sio, self.bot_message_evt), sender_id, input_channel=self.name(),
            metadata=metadata))

    async def push(self, sio: AsyncServer, request: Request) -> HTTPResponse:
        push = handoff_push.checked(request)
        if isinstance(push, HTTPResponse):
            return push
        room = push["conversation_id"]
        pushed = self.connected(sio, room)
        if pushed:
            try:
                await sio.emit(self.bot_message_evt, handoff_gate.socket_message(push["text"]),
                               room=room, namespace=self._namespace)
            except Exception:
                log.exception("could not push an agent message to conversation %s", room)
                pushed = False
        body = {"pushed": pushed, "message_ids": push["message_ids"]}
        return response.json(body if pushed else {**body, "reason": "not_connected"})

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        sio = self.sio

        def agent() -> Any:
            apps: List[Any] = list(webhook.apps) if webhook.registered else []
            return getattr(apps[0].ctx, "agent", None) if apps else None

        # Registering an event again replaces the handler Rasa installed.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict] = None) -> None:
            await self.confirm_session(sio, sid, data)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_message(sid: Text, data: Optional[Dict] = None) -> None:
            await self.handle_message(sio, agent(), on_new_message, sid, data)

        @webhook.route(handoff_push.PUSH_PATH, methods=["POST"])
        async def push_route(request: Request) -> HTTPResponse:
            return await self.push(sio, request)

        return webhook
