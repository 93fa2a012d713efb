"""Webhook requests as each messaging provider sends them, signed like the provider signs them.

The payloads follow the providers' documented formats (Telegram Update, Messenger event batch,
Twilio's SMS/WhatsApp form, Slack Events API event_callback). `forged()` returns the same
request with a signature made from a wrong secret.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from typing import Dict, Optional, Tuple

from twilio.request_validator import RequestValidator

#: The test secrets the integration stack starts with (and the unit tests use).
SECRETS: Dict[str, str] = {
    "TELEGRAM_ACCESS_TOKEN": "123456789:TEST-telegram-token",
    "TELEGRAM_BOT_NAME": "shop_test_bot",
    "TELEGRAM_WEBHOOK_URL": "https://bot.example.test/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "telegram-secret-token_0123456789",
    "FACEBOOK_VERIFY_TOKEN": "facebook-verify-token-0123",
    "FACEBOOK_APP_SECRET": "facebook-app-secret-0123456789",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "facebook-page-access-token",
    "TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2,
    "TWILIO_AUTH_TOKEN": "twilio-auth-token-0123456789",
    "TWILIO_NUMBER": "+15005550006",
    "TWILIO_WEBHOOK_URL": "https://bot.example.test/webhooks/twilio/webhook",
    "TWILIO_WHATSAPP_NUMBER": "+14155238886",
    "TWILIO_WHATSAPP_WEBHOOK_URL": "https://bot.example.test/webhooks/whatsapp/webhook",
    "SLACK_BOT_TOKEN": "xoxb-test-slack-token",
    "SLACK_SIGNING_SECRET": "slack-signing-secret-0123456789",
}

WRONG_SECRET = "not-the-secret"


@dataclass(frozen=True)
class WebhookRequest:
    path: str
    body: bytes
    headers: Dict[str, str] = field(default_factory=dict)
    # To sign again with another secret:
    sign_with: Optional[str] = None

    def forged(self) -> "WebhookRequest":
        return SIGNERS[self.sign_with](self, WRONG_SECRET) if self.sign_with else self

    def unsigned(self) -> "WebhookRequest":
        keep = {k: v for k, v in self.headers.items() if k.lower() == "content-type"}
        return replace(self, headers=keep)


def post(base_url: str, request: WebhookRequest, timeout: float = 60) -> Tuple[int, bytes]:
    """POST the request; (status, body), also for 4xx and 5xx answers."""
    http = urllib.request.Request(base_url + request.path, data=request.body,
                                  headers=request.headers, method="POST")
    try:
        with urllib.request.urlopen(http, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


# --------------------------------------------------------------------------- Telegram


def _sign_telegram(request: WebhookRequest, secret: str) -> WebhookRequest:
    return replace(request, headers={**request.headers, "X-Telegram-Bot-Api-Secret-Token": secret})


def telegram(chat_id: int, text: str, secret: str = SECRETS["TELEGRAM_SECRET_TOKEN"],
             update_id: int = 1) -> WebhookRequest:
    update = {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": int(time.time()), "text": text,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Maria", "language_code": "en"},
            "chat": {"id": chat_id, "first_name": "Maria", "type": "private"},
        },
    }
    plain = WebhookRequest("/webhooks/telegram/webhook", json.dumps(update).encode(),
                           {"Content-Type": "application/json"}, sign_with="telegram")
    return _sign_telegram(plain, secret)


# --------------------------------------------------------------------------- Messenger


def _sign_facebook(request: WebhookRequest, secret: str) -> WebhookRequest:
    digest = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return replace(request, headers={**request.headers, "X-Hub-Signature-256": f"sha256={digest}"})


def facebook(psid: str, text: str, secret: str = SECRETS["FACEBOOK_APP_SECRET"],
             page_id: str = "106000000000001") -> WebhookRequest:
    now = int(time.time() * 1000)
    batch = {"object": "page", "entry": [{"id": page_id, "time": now, "messaging": [{
        "sender": {"id": psid}, "recipient": {"id": page_id}, "timestamp": now,
        "message": {"mid": f"m_{psid}_{now}", "text": text}}]}]}
    plain = WebhookRequest("/webhooks/facebook/webhook", json.dumps(batch).encode(),
                           {"Content-Type": "application/json"}, sign_with="facebook")
    return _sign_facebook(plain, secret)


# --------------------------------------------------------------------------- Twilio


def _twilio_url(request: WebhookRequest) -> str:
    key = "TWILIO_WHATSAPP_WEBHOOK_URL" if "whatsapp" in request.path else "TWILIO_WEBHOOK_URL"
    return SECRETS[key]


def _sign_twilio(request: WebhookRequest, token: str) -> WebhookRequest:
    form = dict(urllib.parse.parse_qsl(request.body.decode(), keep_blank_values=True))
    signature = RequestValidator(token).compute_signature(_twilio_url(request), form)
    return replace(request, headers={**request.headers, "X-Twilio-Signature": signature})


def _twilio(path: str, sender: str, to: str, text: str, token: str,
            extra: Dict[str, str]) -> WebhookRequest:
    sid = "SM" + hashlib.sha1(f"{sender}{text}{time.time()}".encode()).hexdigest()[:32]
    form = {"ToCountry": "US", "SmsMessageSid": sid, "NumMedia": "0", "SmsSid": sid,
            "SmsStatus": "received", "Body": text, "To": to, "NumSegments": "1",
            "MessageSid": sid, "AccountSid": SECRETS["TWILIO_ACCOUNT_SID"], "From": sender,
            "ApiVersion": "2010-04-01", **extra}
    plain = WebhookRequest(path, urllib.parse.urlencode(form).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded"}, sign_with="twilio")
    return _sign_twilio(plain, token)


def twilio_sms(sender: str, text: str, token: str = SECRETS["TWILIO_AUTH_TOKEN"]) -> WebhookRequest:
    return _twilio("/webhooks/twilio/webhook", sender, SECRETS["TWILIO_NUMBER"], text, token,
                   {"FromCountry": "US", "FromZip": "94107", "FromCity": "SAN FRANCISCO"})


def whatsapp(sender_number: str, text: str, token: str = SECRETS["TWILIO_AUTH_TOKEN"]) -> WebhookRequest:
    return _twilio("/webhooks/whatsapp/webhook", f"whatsapp:{sender_number}",
                   f"whatsapp:{SECRETS['TWILIO_WHATSAPP_NUMBER']}", text, token,
                   {"ProfileName": "Maria", "WaId": sender_number.lstrip("+")})


# --------------------------------------------------------------------------- Slack


def _sign_slack(request: WebhookRequest, secret: str, timestamp: Optional[int] = None) -> WebhookRequest:
    sent_at = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + sent_at.encode() + b":" + request.body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return replace(request, headers={**request.headers, "X-Slack-Request-Timestamp": sent_at,
                                     "X-Slack-Signature": signature})


def slack(user: str, channel: str, text: str, secret: str = SECRETS["SLACK_SIGNING_SECRET"],
          timestamp: Optional[int] = None) -> WebhookRequest:
    ts = f"{time.time():.6f}"
    event = {"token": "verification-token", "team_id": "T0SHOP", "api_app_id": "A0SHOP",
             "type": "event_callback", "event_id": f"Ev{int(time.time() * 1000)}",
             "event_time": int(time.time()), "authorizations": [{"user_id": "U0SHOPBOT"}],
             "event": {"type": "message", "channel": channel, "user": user, "text": text,
                       "ts": ts, "event_ts": ts, "channel_type": "im"}}
    plain = WebhookRequest("/webhooks/slack/webhook", json.dumps(event).encode(),
                           {"Content-Type": "application/json"}, sign_with="slack")
    return _sign_slack(plain, secret, timestamp)


SIGNERS = {"telegram": _sign_telegram, "facebook": _sign_facebook, "twilio": _sign_twilio,
           "slack": _sign_slack}
