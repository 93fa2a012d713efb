"""The signed-in customer token: how a shop's site tells the chat widget who is logged in.

The shop's server (never the browser) signs the token; the widget passes it along with each
message (`customData: {customer_token: ...}`); the action server checks it. A customer with a
good token is verified for their own orders without giving the email or ZIP again.

Format, three dot-separated parts, all URL-safe base64 without padding:

    v1.<payload>.<signature>
    payload   = JSON {"email": "<the customer's email, lowercased>", "exp": <unix seconds>}
    signature = HMAC-SHA256(secret, "v1.<payload>")

Anything else, an expired token, a wrong signature or no secret configured, reads as "nobody
signed in" (None), never as an error: the customer is simply asked for proof as usual.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass
from typing import Mapping, Optional, TypeGuard

from bot.core.settings import MIN_SECRET_LENGTH
from bot.orders.lookup import normalize_proof

#: The message-metadata key the widget passes the token under (its customData.customer_token).
METADATA_KEY = "customer_token"
#: The secret shared by the shop's site (which signs) and the action server (which checks).
SECRET_ENV = "SHOP_CUSTOMER_TOKEN_SECRET"
#: Long enough for a shopping visit; a stolen token stops working soon after.
DEFAULT_TTL_SECONDS = 2 * 60 * 60
#: Tokens longer than this are not even parsed (a message can carry anything).
MAX_TOKEN_LENGTH = 2048

_VERSION = "v1"


class TokenSecretError(ValueError):
    """The signing secret is missing or too short."""


@dataclass(frozen=True)
class SignedInCustomer:
    email: str  # lowercased
    expires_at: int  # unix seconds


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, signed_part: str) -> str:
    return _b64encode(hmac.new(secret.encode(), signed_part.encode(), hashlib.sha256).digest())


def _usable(secret: Optional[str]) -> TypeGuard[str]:
    # A short secret could be guessed, and then anyone could sign in as anyone.
    return isinstance(secret, str) and len(secret) >= MIN_SECRET_LENGTH


def secret_from_env(env: Mapping[str, str] = os.environ) -> Optional[str]:
    """The configured secret, or None when it is unset or too short to be safe."""
    secret = env.get(SECRET_ENV, "").strip()
    return secret if _usable(secret) else None


def sign_customer_token(email: str, secret: str, *, ttl_seconds: int = DEFAULT_TTL_SECONDS,
                        now: Optional[float] = None) -> str:
    """A token saying `email` is signed in until now + ttl_seconds. For the shop's server."""
    if not _usable(secret):
        raise TokenSecretError(f"{SECRET_ENV} must have at least {MIN_SECRET_LENGTH} characters")
    proof = normalize_proof(email)
    if proof is None or proof.kind != "email":
        raise ValueError(f"not an email address: {email!r}")
    issued = time.time() if now is None else now
    payload = json.dumps({"email": proof.value, "exp": int(issued + ttl_seconds)},
                         separators=(",", ":"))
    signed_part = f"{_VERSION}.{_b64encode(payload.encode())}"
    return f"{signed_part}.{_signature(secret, signed_part)}"


def read_customer_token(token: object, secret: Optional[str], *,
                        now: Optional[float] = None) -> Optional[SignedInCustomer]:
    """The signed-in customer if `token` is well formed, signed with `secret` and not expired."""
    if not _usable(secret) or not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        return None
    parts = token.strip().split(".")
    if len(parts) != 3 or parts[0] != _VERSION:
        return None
    signed_part = f"{parts[0]}.{parts[1]}"
    # Signature first, in constant time: nothing from an unsigned payload is trusted or parsed.
    if not hmac.compare_digest(_signature(secret, signed_part).encode(), parts[2].encode()):
        return None
    try:
        claims = json.loads(_b64decode(parts[1]))
    except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    if not isinstance(claims, dict):
        return None
    expires, proof = claims.get("exp"), normalize_proof(claims.get("email"))
    if isinstance(expires, bool) or not isinstance(expires, int):
        return None
    if proof is None or proof.kind != "email":
        return None
    if expires <= (time.time() if now is None else now):
        return None
    return SignedInCustomer(proof.value, expires)
