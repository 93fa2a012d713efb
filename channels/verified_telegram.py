"""Telegram (POST /webhooks/telegram/webhook), accepting only requests Telegram signed.

On top of Rasa's TelegramInput:
- the webhook is registered with a `secret_token`, and an update without the matching
  X-Telegram-Bot-Api-Secret-Token header gets 403 (Rasa 3.6 checks nothing: anyone who
  guesses the URL could talk as any chat);
- the Bot API base URL is configurable (`api_url`, e.g. a local stand-in in tests);
- the webhook is set and the bot's name checked once, in the background after the server
  starts, instead of a getMe call for every message and a blocking call at start-up;
- a body that is not a Telegram update gets 400; handoffs are respected (messaging_webhook);
- POST /webhooks/telegram/handoff_push sends a message from the team (channels/handoff_push.py).

Credentials: access_token, verify (the bot's username), webhook_url, secret_token, api_url.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional, Set, Text, Tuple

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import Update
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import messaging_webhook
from channels.handoff_push import add_push_route
from channels.messaging_webhook import OnNewMessage
from channels.webhook_signatures import telegram_signed

log = logging.getLogger(__name__)

TELEGRAM_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's Start button sends "/start" (plus an optional deep-link payload): it greets.
START_COMMAND, GREET = "/start", "/greet"


class TelegramApiOutput(TelegramOutput):
    """Rasa's TelegramOutput, talking to the Bot API at `api_url`."""

    def __init__(self, access_token: Optional[Text], api_url: str = TELEGRAM_API_URL) -> None:
        Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(api_url))


def update_text(update: Update) -> Optional[Tuple[str, str]]:
    """(chat id, text) of an update the bot answers; None for the others (joins, stickers...).

    Same reading as Rasa's: a button's payload, an edited message, text, or a location.
    """
    if update.callback_query is not None:
        message, text = update.callback_query.message, update.callback_query.data
    elif update.edited_message is not None:
        message, text = update.edited_message, update.edited_message.text
    else:
        message = update.message
        if message is None:
            return None
        if message.text is not None:
            text = message.text.replace("/bot", "")
        elif message.location is not None:
            text = '{{"lng":{0}, "lat":{1}}}'.format(message.location.longitude,
                                                     message.location.latitude)
        else:
            return None
    if message is None or message.chat is None or message.chat.id is None or not text:
        return None
    if text.split(" ", 1)[0].split("@", 1)[0] == START_COMMAND:
        text = GREET
    return str(message.chat.id), text


class VerifiedTelegramInput(messaging_webhook.VerifiedInput, TelegramInput):
    """TelegramInput that checks Telegram's secret token on every update."""

    channel_name = "telegram"
    default_api_url = TELEGRAM_API_URL

    @classmethod
    def from_keys(cls, credentials: Dict[Text, Any], api_url: str) -> InputChannel:
        return cls(credentials.get("access_token"), credentials.get("verify"),
                   credentials.get("webhook_url"), secret_token=credentials.get("secret_token"),
                   api_url=api_url)

    def __init__(self, access_token: Optional[Text], verify: Optional[Text],
                 webhook_url: Optional[Text], secret_token: Optional[Text] = None,
                 api_url: str = TELEGRAM_API_URL) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=False)
        self.secret_token = secret_token or ""
        self.api_url = api_url

    def get_output_channel(self) -> TelegramApiOutput:
        return TelegramApiOutput(self.access_token, self.api_url)

    async def register_webhook(self, bot: TelegramApiOutput) -> bool:
        """Tell Telegram where to send updates and which secret to send with them."""
        try:
            me = await bot.get_me()
            if self.verify and me.username != self.verify:
                log.warning("the Telegram token belongs to @%s, not @%s (TELEGRAM_BOT_NAME)",
                            me.username, self.verify)
            # aiogram 2.15 predates secret_token, so the raw API method is called.
            await bot.request("setWebhook", {"url": self.webhook_url,
                                             "secret_token": self.secret_token})
        except Exception as err:  # Telegram unreachable: the bot serves the other channels
            log.error("could not set the Telegram webhook to %s: %s", self.webhook_url, err)
            return False
        log.info("Telegram webhook set to %s", self.webhook_url)
        return True

    async def receive(self, request: Request, out_channel: TelegramApiOutput,
                      on_new_message: OnNewMessage) -> HTTPResponse:
        if not telegram_signed(self.secret_token, request.headers.get(SECRET_HEADER)):
            return messaging_webhook.not_signed(self.name(), SECRET_HEADER)
        try:
            body = request.json
        except InvalidUsage:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
            return messaging_webhook.bad_request("Send a Telegram update (a JSON object with update_id).")
        try:
            said = update_text(Update.to_object(body))
        except (TypeError, ValueError, AttributeError, KeyError):
            return messaging_webhook.bad_request("The Telegram update could not be read.")
        if said is None:
            return response.text("success")  # nothing to answer; 200 so Telegram does not retry
        chat_id, text = said
        handle = messaging_webhook.gated(on_new_message, getattr(request.app.ctx, "agent", None))
        try:
            await handle(UserMessage(text, out_channel, chat_id, input_channel=self.name(),
                                     metadata=self.get_metadata(request)))
        except Exception:  # logged, answered 200: a retry from Telegram would not go better
            log.exception("could not handle a Telegram message from chat %s", chat_id)
        return response.text("success")

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("telegram_webhook", __name__)
        out_channel = self.get_output_channel()
        tasks: Set[asyncio.Task] = set()  # referenced until done, or asyncio may drop them

        @webhook.listener("after_server_start")
        async def set_webhook(*_: Any) -> None:
            # In the background: the server answers at once, even if Telegram is slow.
            task = asyncio.create_task(self.register_webhook(out_channel))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        @webhook.listener("before_server_stop")
        async def close_session(*_: Any) -> None:
            await out_channel.session.close()  # aiogram 2 keeps one aiohttp session

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            return await self.receive(request, out_channel, on_new_message)

        add_push_route(webhook, self.name(), out_channel.send_text_message)  # raises if refused

        return webhook
