"""What the messaging-app webhooks (Telegram, Messenger, Twilio, Slack) share.

- Replies for requests that are not signed or not understood: a short JSON body, 403 or 400,
  never a stack trace.
- Building a channel from its credentials (`VerifiedInput`), with the provider's API base URL
  that the tests point at a local stand-in.
- The handoff gate in front of the bot: the channel hands its `UserMessage` to `gated(...)`
  instead of straight to Rasa, so while a person has the conversation the message is recorded
  for them and the bot stays quiet. Agent messages not yet delivered go out first, through
  the same messaging app (these apps cannot be pushed to by the desk yet, so like REST the
  customer gets them with their next message).
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, ClassVar, Dict, Optional, Text, cast

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import response
from sanic.response import HTTPResponse

from channels import handoff_gate

log = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class VerifiedInput(InputChannel):
    """Put first among the bases of a verified channel: Rasa finds the channel by `channel_name`,
    and `from_credentials` builds it by `from_keys` with the API base URL of the credentials
    (key `api_url_key`), the provider's own (`default_api_url`) when there is none."""

    channel_name: ClassVar[str]
    default_api_url: ClassVar[str]
    api_url_key: ClassVar[str] = "api_url"

    @classmethod
    def name(cls) -> Text:
        return cls.channel_name

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        given = cast(Dict[Text, Any], credentials)  # without any, the line above raised
        return cls.from_keys(given, given.get(cls.api_url_key) or cls.default_api_url)

    @classmethod
    def from_keys(cls, credentials: Dict[Text, Any], api_url: str) -> InputChannel:
        raise NotImplementedError


def not_signed(channel: str, header: str) -> HTTPResponse:
    """403 for a request without a valid provider signature (logged: it may be an attack)."""
    log.warning("%s webhook: rejected a request without a valid %s", channel, header)
    return response.json({"error": "forbidden",
                          "message": f"The request is not signed with a valid {header}."},
                         status=403)


def bad_request(message: str) -> HTTPResponse:
    return response.json({"error": "bad_request", "message": message}, status=400)


def gated(on_new_message: OnNewMessage, agent: Any) -> OnNewMessage:
    """`on_new_message` behind the handoff gate; `agent` (Rasa's, for the intent of messages
    recorded during a handoff) may be None."""

    async def handle(message: UserMessage) -> None:
        turn = await handoff_gate.begin_turn(message.sender_id, message.text, agent)
        for text in turn.pending:
            try:
                await message.output_channel.send_text_message(message.sender_id, text)
            except Exception:  # the app's API is down: the bot's turn still happens
                log.exception("could not deliver an agent message to %s", message.sender_id)
        if not turn.held:
            await on_new_message(message)

    return handle
