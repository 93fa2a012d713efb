"""Facebook Messenger (GET/POST /webhooks/facebook/webhook), accepting only signed requests.

On top of Rasa's FacebookInput:
- a POST must carry X-Hub-Signature-256 (or the older X-Hub-Signature, sha1) made with the app
  secret; otherwise 403 (Rasa answers 200 "not validated" and accepts any hash name);
- the subscription check (GET with hub.verify_token) answers 403 for a wrong token;
- a body that is not a Messenger event batch gets 400 instead of a stack trace;
- the Graph API base URL is configurable (`graph_url`, e.g. a local stand-in in tests), and
  calls carry the appsecret_proof Facebook asks for when "Require App Secret" is on;
- handoffs are respected (messaging_webhook).

Credentials: verify, secret, page-access-token, graph_url.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional, Text

from fbmessenger import DEFAULT_API_VERSION, MessengerClient
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import messaging_webhook
from channels.handoff_push import add_push_route
from channels.messaging_webhook import OnNewMessage
from channels.webhook_signatures import facebook_signed, same_secret

log = logging.getLogger(__name__)

FACEBOOK_GRAPH_URL = "https://graph.facebook.com"


def messenger_client(page_access_token: str, app_secret: Optional[str],
                     graph_url: str = FACEBOOK_GRAPH_URL) -> MessengerClient:
    """fbmessenger's client, sending to `graph_url` (same API version as the library's)."""
    client = MessengerClient(page_access_token, app_secret=app_secret or None)
    client.graph_url = f"{graph_url.rstrip('/')}/v{DEFAULT_API_VERSION}"
    return client


class GraphApiMessenger(Messenger):
    """Rasa's Messenger event handler with a given client (so a given Graph API URL).

    Every event of a batch is handled (Rasa's stops after the first), and no "typing" bubble
    is shown: while a person has the conversation the bot does not answer at all.
    """

    def __init__(self, client: MessengerClient, on_new_message: OnNewMessage) -> None:
        self.on_new_message = on_new_message
        self.client = client
        self.last_message: Dict[Text, Any] = {}

    async def handle(self, payload: Dict, metadata: Optional[Dict[Text, Any]]) -> None:
        for entry in payload["entry"]:
            for event in entry.get("messaging", []):
                self.last_message = event
                if event.get("message"):
                    await self.message(event, metadata)
                elif event.get("postback"):
                    await self.postback(event, metadata)

    async def _handle_user_message(self, text: Text, sender_id: Text,
                                   metadata: Optional[Dict[Text, Any]]) -> None:
        out_channel = MessengerBot(self.client)
        await out_channel.send_action(sender_id, sender_action="mark_seen")
        await self.on_new_message(UserMessage(text, out_channel, sender_id,
                                              input_channel=self.name(), metadata=metadata))


def is_event_batch(body: Any) -> bool:
    """{"object": "page", "entry": [{"messaging": [{...}, ...]}, ...]}, as Messenger sends."""
    if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
        return False
    for entry in body["entry"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("messaging", []), list):
            return False
        for event in entry.get("messaging", []):
            if not isinstance(event, dict) or not isinstance(event.get("sender"), dict):
                return False
            if not isinstance(event.get("message", {}), dict) \
                    or not isinstance(event.get("postback", {}), dict):
                return False
    return True


class VerifiedFacebookInput(messaging_webhook.VerifiedInput, FacebookInput):
    """FacebookInput that rejects unsigned and malformed webhook requests."""

    channel_name = "facebook"
    default_api_url = FACEBOOK_GRAPH_URL
    api_url_key = "graph_url"

    @classmethod
    def from_keys(cls, credentials: Dict[Text, Any], api_url: str) -> InputChannel:
        # Missing keys are passed on as None, as Rasa's own FacebookInput.from_credentials does.
        return cls(credentials.get("verify"), credentials.get("secret"),  # type: ignore[arg-type]
                   credentials.get("page-access-token"), graph_url=api_url)  # type: ignore[arg-type]

    def __init__(self, fb_verify: Text, fb_secret: Text, fb_access_token: Text,
                 graph_url: str = FACEBOOK_GRAPH_URL) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.graph_url = graph_url

    def client(self) -> MessengerClient:
        return messenger_client(self.fb_access_token, self.fb_secret, self.graph_url)

    def get_output_channel(self) -> OutputChannel:
        return MessengerBot(self.client())

    async def push_text(self, psid: str, text: str) -> None:
        """Send `text` to the person, raising when the Graph API does not take it (fbmessenger
        returns the error as JSON instead of raising, and blocks: it runs in a thread)."""
        answer = await asyncio.to_thread(self.client().send, {"text": text}, psid, "RESPONSE")
        problem = answer.get("error") if isinstance(answer, dict) else "no JSON answer"
        if problem or not isinstance(answer, dict) or not answer.get("message_id"):
            detail = problem.get("message") if isinstance(problem, dict) else problem
            raise RuntimeError(f"the Graph API refused it: {detail or answer}")

    def subscription_check(self, request: Request) -> HTTPResponse:
        token = request.args.get("hub.verify_token") or ""
        if not self.fb_verify or not same_secret(self.fb_verify, token):
            log.warning("Facebook webhook: wrong hub.verify_token (FACEBOOK_VERIFY_TOKEN)")
            return response.json({"error": "forbidden", "message": "Wrong hub.verify_token."},
                                 status=403)
        return response.text(request.args.get("hub.challenge") or "")

    async def receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        if not facebook_signed(self.fb_secret, request.body,
                               request.headers.get("X-Hub-Signature-256"),
                               request.headers.get("X-Hub-Signature")):
            return messaging_webhook.not_signed(self.name(), "X-Hub-Signature-256")
        try:
            body = request.json
        except InvalidUsage:
            body = None
        if not is_event_batch(body):
            return messaging_webhook.bad_request(
                'Send a Messenger event batch: {"object": "page", "entry": [{"messaging": [...]}]}.')
        handle = messaging_webhook.gated(on_new_message, getattr(request.app.ctx, "agent", None),
                                         self.push_text)
        messenger = GraphApiMessenger(self.client(), handle)
        try:
            await messenger.handle(body, self.get_metadata(request))
        except Exception:  # logged, answered 200: Facebook would only send it again
            log.exception("could not handle a Facebook Messenger event")
        return response.text("success")

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("fb_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            return self.subscription_check(request)

        @webhook.route("/webhook", methods=["POST"])
        async def webhook_post(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        add_push_route(webhook, self.name(), self.push_text)

        return webhook
