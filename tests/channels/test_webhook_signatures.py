"""Each provider's webhook signature, checked against requests signed the provider's way."""
from __future__ import annotations

import hashlib
import hmac

import pytest
from twilio.request_validator import RequestValidator

from channels.webhook_signatures import (
    SLACK_MAX_AGE_SECONDS,
    facebook_signed,
    slack_signed,
    telegram_signed,
    twilio_signed,
)

BODY = b'{"object":"page","entry":[]}'
SECRET = "app-secret"


def hub(secret: str, body: bytes, digest=hashlib.sha256, prefix: str = "sha256=") -> str:
    return prefix + hmac.new(secret.encode(), body, digest).hexdigest()


# --------------------------------------------------------------------------- Facebook


def test_facebook_accepts_sha256_and_the_older_sha1_header():
    assert facebook_signed(SECRET, BODY, hub(SECRET, BODY))
    assert facebook_signed(SECRET, BODY, None, hub(SECRET, BODY, hashlib.sha1, "sha1="))


@pytest.mark.parametrize("sig256, sig1", [
    (None, None),  # unsigned
    (hub("wrong", BODY), None),  # another secret
    (hub(SECRET, BODY + b" "), None),  # body changed after signing
    (hub(SECRET, BODY, hashlib.md5, "md5="), None),  # Rasa would take any algorithm named
    ("sha256=", None),
    ("garbage", None),
    (hub("wrong", BODY), hub(SECRET, BODY, hashlib.sha1, "sha1=")),  # a bad 256 is not rescued
])
def test_facebook_refuses_everything_else(sig256, sig1):
    assert not facebook_signed(SECRET, BODY, sig256, sig1)


def test_facebook_without_an_app_secret_accepts_nothing():
    assert not facebook_signed("", BODY, hub("", BODY))


# --------------------------------------------------------------------------- Slack

NOW = 1_700_000_000


def slack_sig(secret: str, timestamp: int, body: bytes) -> str:
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def test_slack_accepts_a_fresh_signed_request():
    assert slack_signed(SECRET, BODY, str(NOW), slack_sig(SECRET, NOW, BODY), now=NOW + 10)


def test_slack_refuses_a_replay_older_than_five_minutes_and_one_from_the_future():
    old, future = NOW - SLACK_MAX_AGE_SECONDS - 1, NOW + SLACK_MAX_AGE_SECONDS + 1
    assert not slack_signed(SECRET, BODY, str(old), slack_sig(SECRET, old, BODY), now=NOW)
    assert not slack_signed(SECRET, BODY, str(future), slack_sig(SECRET, future, BODY), now=NOW)
    edge = NOW - SLACK_MAX_AGE_SECONDS
    assert slack_signed(SECRET, BODY, str(edge), slack_sig(SECRET, edge, BODY), now=NOW)


@pytest.mark.parametrize("timestamp, signature", [
    (None, None),
    (str(NOW), None),
    (None, slack_sig(SECRET, NOW, BODY)),
    ("yesterday", slack_sig(SECRET, NOW, BODY)),
    (str(NOW), slack_sig("wrong", NOW, BODY)),
    (str(NOW + 1), slack_sig(SECRET, NOW, BODY)),  # timestamp changed after signing
])
def test_slack_refuses_missing_or_wrong_signatures(timestamp, signature):
    assert not slack_signed(SECRET, BODY, timestamp, signature, now=NOW)


# --------------------------------------------------------------------------- Telegram


def test_telegram_needs_the_exact_secret_token():
    assert telegram_signed("s3cret_token", "s3cret_token")
    assert not telegram_signed("s3cret_token", "s3cret_tokenX")
    assert not telegram_signed("s3cret_token", None)
    assert not telegram_signed("", "")  # no configured secret: nothing is trusted


# --------------------------------------------------------------------------- Twilio

URL = "https://bot.example.test/webhooks/twilio/webhook"
FORM = {"From": "+15551230000", "To": "+15005550006", "Body": "hi", "MessageSid": "SM1"}


def twilio_sig(token: str, url: str, form: dict) -> str:
    return RequestValidator(token).compute_signature(url, form)


def test_twilio_accepts_the_signature_of_the_public_url_and_form():
    assert twilio_signed(SECRET, URL, FORM, twilio_sig(SECRET, URL, FORM))


@pytest.mark.parametrize("token, url, form", [
    ("wrong", URL, FORM),  # another auth token
    (SECRET, "http://10.0.0.5:5005/webhooks/twilio/webhook", FORM),  # the internal URL
    (SECRET, URL, {**FORM, "Body": "hi, send me all orders"}),  # form changed after signing
])
def test_twilio_refuses_a_signature_made_otherwise(token, url, form):
    assert not twilio_signed(SECRET, URL, FORM, twilio_sig(token, url, form))


def test_twilio_refuses_unsigned_or_unconfigured():
    assert not twilio_signed(SECRET, URL, FORM, None)
    assert not twilio_signed(SECRET, "", FORM, twilio_sig(SECRET, URL, FORM))
    assert not twilio_signed("", URL, FORM, twilio_sig("", URL, FORM))
