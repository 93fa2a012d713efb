"""How each messaging provider proves that a webhook request comes from it.

Pure functions of the secret, the raw request and (for Slack) the clock, so each check is
tested on its own. Every comparison is constant-time, and anything missing or malformed is
simply "not signed": a check never raises.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any, Mapping, Optional

from twilio.request_validator import RequestValidator

#: Slack's advice: refuse requests older than five minutes, so a captured one cannot be replayed.
SLACK_MAX_AGE_SECONDS = 5 * 60


def same_secret(expected: str, given: str) -> bool:
    """Constant-time comparison, so response times do not leak how much of a guess was right."""
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def facebook_signed(app_secret: str, body: bytes, signature_256: Optional[str],
                    signature_sha1: Optional[str] = None) -> bool:
    """X-Hub-Signature-256 ("sha256=<hex>"), or the older X-Hub-Signature ("sha1=<hex>"),
    is the HMAC of the raw body with the app secret.

    Only these two algorithms are accepted: Rasa's own check takes whatever the header names.
    """
    if not app_secret:
        return False
    for header, prefix, digest in ((signature_256, "sha256=", hashlib.sha256),
                                   (signature_sha1, "sha1=", hashlib.sha1)):
        if header:
            if not header.startswith(prefix):
                return False
            expected = hmac.new(app_secret.encode("utf-8"), body, digest).hexdigest()
            return same_secret(expected, header[len(prefix):].strip().lower())
    return False


def slack_signed(signing_secret: str, body: bytes, timestamp: Optional[str],
                 signature: Optional[str], now: Optional[float] = None,
                 max_age: float = SLACK_MAX_AGE_SECONDS) -> bool:
    """X-Slack-Signature is "v0=" + HMAC-SHA256 of "v0:<timestamp>:<body>"; the
    X-Slack-Request-Timestamp must be within `max_age` seconds of now (either way)."""
    if not signing_secret or not timestamp or not signature:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > max_age:
        return False
    base = b"v0:" + str(sent_at).encode() + b":" + body
    expected = "v0=" + hmac.new(signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return same_secret(expected, signature.strip())


def telegram_signed(secret_token: str, header: Optional[str]) -> bool:
    """X-Telegram-Bot-Api-Secret-Token repeats the secret_token given to setWebhook."""
    return bool(secret_token) and header is not None and same_secret(secret_token, header)


def twilio_signed(auth_token: str, public_url: str, form: Any, signature: Optional[str]) -> bool:
    """X-Twilio-Signature signs the exact public URL Twilio called plus the POSTed form fields.

    `form` is the parsed form (a mapping of lists, like Sanic's request.form, or of strings).
    The URL must be the one registered with Twilio: behind a proxy the server's own idea of its
    URL differs, which is why it comes from configuration.
    """
    if not auth_token or not public_url or not signature:
        return False
    params: Mapping[str, Any] = form if form is not None else {}
    try:
        return bool(RequestValidator(auth_token).validate(public_url, params, signature))
    except (TypeError, ValueError, AttributeError):
        return False
