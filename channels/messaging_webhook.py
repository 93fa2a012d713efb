"""What the messaging-app webhooks (Telegram, Messenger, Twilio, Slack) share.

- Replies for requests that are not signed or not understood: a short JSON body, 403 or 400,
  never a stack trace.
- Building a channel from its credentials (`VerifiedInput`), with the provider's API base URL
  that the tests point at a local stand-in.
- The handoff gate in front of the bot: the channel hands its `UserMessage` to `gated(...)`
  instead of straight to Rasa, so while a person has the conversation the message is recorded
  for them and the bot stays quiet. Messages from the team not delivered yet (the desk pushes
  them at once through each channel's POST .../handoff_push, channels/handoff_push.py; one that
  did not go is retried) go out first, through the channel's checked send: one the app refuses
  stays undelivered for the desk to try again.
- Conversation ids in the channel's own namespace: `gated` turns the app's user id into
  "<channel>:<user id>" (and back when sending), so no other channel can name that conversation:
  the REST and socket.io channels refuse ids in these namespaces (`foreign_conversation`).
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, ClassVar, Dict, Optional, Text, cast

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import response
from sanic.response import HTTPResponse

from bot.core.settings import MESSAGING_CHANNELS
from channels import handoff_gate, turn_guard
from channels.handoff_push import SendText

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


#: The messaging channels whose conversation ids are "<name>:<the app's user id>".
NAMESPACED_CHANNELS = MESSAGING_CHANNELS


def conversation_id(channel: str, user_id: str) -> str:
    return f"{channel}:{user_id}"


def foreign_conversation(sender_id: object) -> bool:
    """Whether a sender id given by a REST or socket.io client names a messaging app's
    conversation (which only that app's verified webhook may continue)."""
    prefix, colon, _ = str(sender_id or "").partition(":")
    return bool(colon) and prefix.strip().lower() in NAMESPACED_CHANNELS


class NamespacedOutput:
    """An app's output channel addressed by namespaced conversation ids: every `send_*` call
    gets the app's own user id back."""

    def __init__(self, inner: Any, channel: str) -> None:
        self._inner, self._prefix = inner, f"{channel}:"

    def name(self) -> Text:
        return self._inner.name()

    def user_id(self, recipient_id: Text) -> Text:
        return recipient_id[len(self._prefix):] if recipient_id.startswith(self._prefix) else recipient_id

    def __getattr__(self, attr: str) -> Any:
        target = getattr(self._inner, attr)
        if not (attr.startswith("send_") and callable(target)):
            return target

        async def send(recipient_id: Text, *args: Any, **kwargs: Any) -> Any:
            return await target(self.user_id(recipient_id), *args, **kwargs)

        return send


def namespaced(message: UserMessage) -> UserMessage:
    """The message with its conversation id in its channel's namespace."""
    channel = message.input_channel or "unknown"
    message.sender_id = conversation_id(channel, message.sender_id)
    message.output_channel = cast(Any, NamespacedOutput(message.output_channel, channel))
    return message


def gated(on_new_message: OnNewMessage, agent: Any, push: Optional[SendText] = None) -> OnNewMessage:
    """`on_new_message` behind the handoff gate, in the channel's namespace; `agent` (Rasa's,
    for the intent of messages recorded during a handoff) may be None. Messages from the team go
    out through `push` (the app's user id, the text; raises when the app does not take it), by
    default through the message's own output channel (for apps whose client raises)."""

    async def handle(message: UserMessage) -> None:
        user_id = message.sender_id
        message = namespaced(message)

        async def send(text: str) -> None:
            if push is None:
                await message.output_channel.send_text_message(message.sender_id, text)
            else:
                await push(user_id, text)

        turn = await handoff_gate.begin_turn(message.sender_id, message.text, agent, send=send)
        if turn.reply:
            try:
                if turn.buttons:
                    await message.output_channel.send_text_with_buttons(message.sender_id, turn.reply,
                                                                        turn.buttons)
                else:
                    await message.output_channel.send_text_message(message.sender_id, turn.reply)
            except Exception:
                log.exception("could not answer %s while it waits for a person", message.sender_id)
        if not turn.held:  # a turn that fails gets the apology, never silence
            await turn_guard.run_turn(on_new_message, message)

    return handle
