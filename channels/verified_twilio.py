"""Twilio SMS (POST /webhooks/twilio/webhook) and WhatsApp (POST /webhooks/whatsapp/webhook),
accepting only requests Twilio signed.

On top of Rasa's TwilioInput, which checks nothing:
- X-Twilio-Signature must match the public webhook URL registered with Twilio (from the
  configuration: behind a proxy the server cannot know it) and the form fields; otherwise 403;
- a form without a sender or a message gets 400 instead of a stack trace;
- the REST API base URL is configurable (`api_url`, e.g. a local stand-in in tests), and the
  blocking Twilio client runs in a worker thread so the server keeps answering meanwhile;
- handoffs are respected (messaging_webhook).

Credentials: account_sid, auth_token, twilio_number, webhook_url, api_url.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import messaging_webhook
from channels.handoff_push import add_push_route
from channels.messaging_webhook import OnNewMessage
from channels.webhook_signatures import twilio_signed

log = logging.getLogger(__name__)

TWILIO_API_URL = "https://api.twilio.com"
SIGNATURE_HEADER = "X-Twilio-Signature"
WHATSAPP_PREFIX = "whatsapp:"


class TwilioApiOutput(TwilioOutput):
    """Rasa's TwilioOutput, talking to the REST API at `api_url`, without blocking the loop."""

    def __init__(self, account_sid: Optional[Text], auth_token: Optional[Text],
                 twilio_number: Optional[Text], api_url: str = TWILIO_API_URL) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.api.base_url = api_url.rstrip("/")

    async def _send_message(self, message_data: Dict[Text, Any]) -> Any:
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except Exception as err:  # an API error or no connection: logged, the turn goes on
            log.error("could not send a Twilio message to %s: %s", message_data.get("to"), err)
            return None


def message_text(form: Any) -> Optional[str]:
    """The customer's text: the body, or a WhatsApp location as Rasa writes it; None if absent."""
    latitude, longitude = form.get("Latitude"), form.get("Longitude")
    if latitude and longitude:
        return "/locationData{{'Latitude': {lat},'Longitude': {long}}}".format(
            lat=latitude, long=longitude)
    body = form.get("Body")
    # Some carriers turn "@" into "¡" in SMS (Rasa does the same repair).
    return body.replace("¡", "@") if isinstance(body, str) else None


class VerifiedTwilioInput(messaging_webhook.VerifiedInput, TwilioInput):
    """TwilioInput for SMS that checks X-Twilio-Signature."""

    channel_name = "twilio"
    default_api_url = TWILIO_API_URL

    @classmethod
    def from_keys(cls, credentials: Dict[Text, Any], api_url: str) -> InputChannel:
        return cls(credentials.get("account_sid"), credentials.get("auth_token"),
                   credentials.get("twilio_number"), webhook_url=credentials.get("webhook_url"),
                   api_url=api_url)

    def __init__(self, account_sid: Optional[Text], auth_token: Optional[Text],
                 twilio_number: Optional[Text], webhook_url: Optional[Text] = None,
                 api_url: str = TWILIO_API_URL) -> None:
        super().__init__(account_sid, auth_token, self.sender_number(twilio_number),
                         debug_mode=False)
        self.webhook_url = webhook_url or ""
        self.api_url = api_url

    @staticmethod
    def sender_number(number: Optional[Text]) -> Optional[Text]:
        """The number replies are sent from, as Twilio's API wants it."""
        return number

    def get_output_channel(self) -> OutputChannel:
        return TwilioApiOutput(self.account_sid, self.auth_token, self.twilio_number,
                               self.api_url)

    async def push_text(self, number: str, text: str) -> None:
        """Send `text` to `number`, raising when Twilio does not take it (the output channel the
        bot answers through only logs a failure)."""
        output = self.get_output_channel()
        await asyncio.to_thread(output.messages.create, to=number, from_=self.twilio_number, body=text)

    async def receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        form = request.form
        if not twilio_signed(self.auth_token or "", self.webhook_url, form,
                             request.headers.get(SIGNATURE_HEADER)):
            return messaging_webhook.not_signed(self.name(), SIGNATURE_HEADER)
        sender, text = form.get("From"), message_text(form)
        if not sender or text is None:
            return messaging_webhook.bad_request("Send Twilio's form fields From and Body.")
        handle = messaging_webhook.gated(on_new_message, getattr(request.app.ctx, "agent", None),
                                         self.push_text)
        try:
            await handle(UserMessage(text, self.get_output_channel(), sender,
                                     input_channel=self.name(), metadata=self.get_metadata(request)))
        except Exception:  # logged; Twilio gets its answer either way
            log.exception("could not handle a %s message from %s", self.name(), sender)
        return response.text("", status=204)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint(f"{self.name()}_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        add_push_route(webhook, self.name(), self.push_text)

        return webhook


class VerifiedTwilioWhatsAppInput(VerifiedTwilioInput):
    """The same for WhatsApp through Twilio: its own URL, number and webhook."""

    channel_name = "whatsapp"

    @staticmethod
    def sender_number(number: Optional[Text]) -> Optional[Text]:
        if number and not number.startswith(WHATSAPP_PREFIX):
            return WHATSAPP_PREFIX + number
        return number
