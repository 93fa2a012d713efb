"""Slack (POST /webhooks/slack/webhook: Events API and interactive buttons), signed requests only.

Rasa's SlackInput already checks X-Slack-Signature and the timestamp (replays older than five
minutes are refused). On top of it:
- an unsigned request gets 403 (not 400), through the same tested check as the other channels;
- a body that is not a Slack event or interaction gets 400 instead of a stack trace, and the
  URL-verification challenge is answered in the form Slack documents;
- the Web API base URL is configurable (`api_url`, e.g. a local stand-in in tests);
- handoffs are respected (messaging_webhook).

Credentials: slack_token, slack_signing_secret, api_url (and Rasa's other SlackInput keys).
"""
from __future__ import annotations

import json
import logging
from typing import Any, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from channels import messaging_webhook
from channels.handoff_push import add_push_route
from channels.messaging_webhook import OnNewMessage
from channels.webhook_signatures import slack_signed

log = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"
SIGNATURE_HEADER = "X-Slack-Signature"
FORM = "application/x-www-form-urlencoded"


class SlackApiOutput(SlackBot):
    """Rasa's SlackBot, talking to the Web API at `api_url`."""

    def __init__(self, token: Text, slack_channel: Optional[Text] = None,
                 thread_id: Optional[Text] = None, proxy: Optional[Text] = None,
                 api_url: str = SLACK_API_URL) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        # slack_sdk joins method names to the base URL, which must end with "/".
        self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url.rstrip("/") + "/")


def slack_body(request: Request) -> Tuple[str, Dict[str, Any]]:
    """("event", the JSON event) or ("interaction", the form's payload); ValueError if neither."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
    if content_type == FORM:
        raw = request.form.get("payload")
        try:
            payload = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("actions", []), list):
            raise ValueError("an interaction must have a JSON object in its payload field")
        return "interaction", payload
    try:
        body = request.json
    except InvalidUsage:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("event", {}), dict):
        raise ValueError("an event must be a JSON object, with an object in its event field")
    return "event", body


class VerifiedSlackInput(messaging_webhook.VerifiedInput, SlackInput):
    """SlackInput with 403 for unsigned requests, 400 for malformed ones and a settable API URL."""

    channel_name = "slack"
    default_api_url = SLACK_API_URL

    @classmethod
    def from_keys(cls, credentials: Dict[Text, Any], api_url: str) -> InputChannel:
        channel = super(messaging_webhook.VerifiedInput, cls).from_credentials(credentials)
        channel.api_url = api_url
        return channel

    def __init__(self, *args: Any, api_url: str = SLACK_API_URL, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = api_url

    def get_output_channel(self, channel: Optional[Text] = None,
                           thread_id: Optional[Text] = None) -> OutputChannel:
        return SlackApiOutput(self.slack_token, channel or self.slack_channel, thread_id,
                              self.proxy, self.api_url)

    async def push_text(self, conversation: str, text: str) -> None:
        """Send `text` where the conversation is: the person's direct messages with the app, or
        the channel (and thread) its id names ("<user>_<channel>[_<thread>]" when Rasa's
        conversation_granularity is channel or thread); raises when Slack refuses."""
        parts = conversation.split("_")
        channel = parts[1] if len(parts) > 1 else parts[0]
        thread = parts[2] if len(parts) > 2 else None
        output = self.get_output_channel()
        await output.client.chat_postMessage(channel=channel, as_user=True, text=text,
                                             **({"thread_ts": thread} if thread else {}))

    async def on_event(self, request: Request, body: Dict[str, Any],
                       on_new_message: OnNewMessage) -> HTTPResponse:
        if body.get("type") == "url_verification":
            return response.json({"challenge": body.get("challenge")})
        if not self._is_user_message(body):  # the bot's own messages, joins, edits...
            return response.text("Bot message delivered.")
        event = body["event"]
        metadata = self.get_metadata(request)
        if not self._is_supported_channel(body, metadata):
            log.warning("Slack message on an unsupported channel: %s", metadata.get("out_channel"))
            return response.text("channel not supported.")
        conversation_id = self._get_conversation_id(
            event.get("user", ""), metadata.get("out_channel"), metadata.get("thread_id"))
        text = self._sanitize_user_message(str(event.get("text", "")), metadata.get("users"))
        return await self.process_message(request, on_new_message, text=text,
                                          sender_id=conversation_id, metadata=metadata)

    async def on_interaction(self, request: Request, payload: Dict[str, Any],
                             on_new_message: OnNewMessage) -> HTTPResponse:
        actions = payload.get("actions") or []
        given_user = payload.get("user")
        user = given_user if isinstance(given_user, dict) else {}
        if not actions or not isinstance(actions[0], dict) or not user.get("id"):
            return messaging_webhook.bad_request("An interaction needs a user and an action.")
        if not self._is_interactive_message(payload):
            return response.text("The input message could not be processed.")
        text = self._get_interactive_response(actions[0])
        if text is None:  # a link button: nothing for the bot
            return response.text("User clicked link button")
        metadata = self.get_metadata(request)
        conversation_id = self._get_conversation_id(
            user["id"], metadata.get("out_channel"), metadata.get("thread_id"))
        return await self.process_message(request, on_new_message, text, conversation_id,
                                          metadata)

    async def receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        if not slack_signed(self.slack_signing_secret, request.body,
                            request.headers.get("X-Slack-Request-Timestamp"),
                            request.headers.get(SIGNATURE_HEADER)):
            return messaging_webhook.not_signed(self.name(), SIGNATURE_HEADER)
        try:
            kind, body = slack_body(request)
        except ValueError as err:
            return messaging_webhook.bad_request(f"Not a Slack request: {err}.")
        handle = messaging_webhook.gated(on_new_message, getattr(request.app.ctx, "agent", None))
        try:
            if kind == "interaction":
                return await self.on_interaction(request, body, handle)
            return await self.on_event(request, body, handle)
        except (KeyError, TypeError, AttributeError, IndexError, ValueError) as err:
            log.warning("Slack request not understood: %r", err)
            return messaging_webhook.bad_request("The Slack request could not be read.")

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("slack_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        add_push_route(webhook, self.name(), self.push_text)

        return webhook

