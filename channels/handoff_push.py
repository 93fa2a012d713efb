"""POST /webhooks/<channel>/handoff_push: the desk hands a message from the team to the channel,
which sends it to the customer at once (bearer SHOP_PUSH_TOKEN, the desk's push secret).

Body {"conversation_id", "text", "message_ids"?}. Answers: 200 {"pushed": true} when the
customer's app took it; 200 {"pushed": false, "reason"} when there is nobody to push to on this
server (the widget is not connected here: another replica may have it); 502 {"pushed": false,
"error"} when the provider refused it or could not be reached (the desk tries again later);
400 for a body that is not a push or a conversation of another channel; 401 without the token.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional

from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.core.settings import PUSH_TOKEN_ENV
from bot.core.tokens import bearer_matches

log = logging.getLogger(__name__)

PUSH_PATH = "/handoff_push"

#: Sends a text to the app's own user id; raises when the app did not take it.
SendText = Callable[[str, str], Awaitable[Any]]


def push_authorized(header: Optional[str]) -> bool:
    """True for 'Bearer <SHOP_PUSH_TOKEN>'; always False while the token is not set."""
    return bearer_matches(header, os.environ.get(PUSH_TOKEN_ENV, "").strip())


def error(status: int, code: str, message: str) -> HTTPResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="handoff-push"'} if status == 401 else None
    return response.json({"error": code, "message": message}, status=status, headers=headers)


def read_push(request: Request) -> Dict[str, Any]:
    """The checked push body; ValueError says what is wrong."""
    try:
        body = request.json
    except InvalidUsage:
        body = None
    if not isinstance(body, dict):
        raise ValueError('send a JSON object: {"conversation_id": "...", "text": "..."}')
    conversation_id, text = body.get("conversation_id"), body.get("text")
    if not isinstance(conversation_id, str) or not conversation_id.strip():
        raise ValueError("conversation_id must be a non-empty string")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text must be a non-empty string")
    ids = body.get("message_ids", [])
    if not isinstance(ids, list) or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise ValueError("message_ids must be a list of integers")
    return {"conversation_id": conversation_id.strip(), "text": text.strip(), "message_ids": ids}


def checked(request: Request) -> Any:
    """The push body, or the error response to answer instead."""
    if not push_authorized(request.headers.get("Authorization")):
        return error(401, "unauthorized", f"Send 'Authorization: Bearer <{PUSH_TOKEN_ENV}>'.")
    try:
        return read_push(request)
    except ValueError as err:
        return error(400, "bad_request", str(err))


def add_push_route(webhook: Blueprint, channel: str, send: SendText) -> None:
    """The push endpoint of a messaging channel whose conversation ids are "<channel>:<user id>"."""
    prefix = f"{channel}:"

    @webhook.route(PUSH_PATH, methods=["POST"], name=f"{channel}_handoff_push")
    async def handoff_push(request: Request) -> HTTPResponse:
        push = checked(request)
        if isinstance(push, HTTPResponse):
            return push
        if not push["conversation_id"].startswith(prefix):
            return error(400, "bad_request", f"{push['conversation_id']!r} is not a {channel} conversation")
        try:
            await send(push["conversation_id"][len(prefix):], push["text"])
        except Exception as err:  # the desk records it and tries again
            log.warning("could not push a message to %s: %s", push["conversation_id"], err)
            return response.json({"pushed": False, "error": f"{channel} did not take the message: {err}",
                                  "message_ids": push["message_ids"]}, status=502)
        return response.json({"pushed": True, "message_ids": push["message_ids"]})
