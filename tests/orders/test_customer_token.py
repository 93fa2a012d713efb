"""The signed-in customer token: only a fresh token signed with the shop's secret is believed."""
from __future__ import annotations

import base64
import json

import pytest

from bot.orders.customer_token import (
    SECRET_ENV,
    TokenSecretError,
    read_customer_token,
    secret_from_env,
    sign_customer_token,
)

SECRET = "a-test-secret-of-enough-length"
NOW = 1_900_000_000.0


def _payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _with_payload(token: str, claims: dict) -> str:
    version, _, signature = token.split(".")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{version}.{body}.{signature}"


def test_a_good_token_names_the_customer_until_it_expires():
    token = sign_customer_token("Maria.Gonzalez@Example.com", SECRET, ttl_seconds=600, now=NOW)
    customer = read_customer_token(token, SECRET, now=NOW + 599)
    assert customer is not None
    assert customer.email == "maria.gonzalez@example.com"
    assert customer.expires_at == int(NOW) + 600


def test_an_expired_token_is_ignored():
    token = sign_customer_token("maria.gonzalez@example.com", SECRET, ttl_seconds=600, now=NOW)
    assert read_customer_token(token, SECRET, now=NOW + 600) is None
    assert read_customer_token(token, SECRET, now=NOW + 86_400) is None


def test_a_token_signed_with_another_secret_is_ignored():
    token = sign_customer_token("maria.gonzalez@example.com", "another-secret-of-enough-length", now=NOW)
    assert read_customer_token(token, SECRET, now=NOW) is None


def test_a_tampered_payload_is_ignored():
    token = sign_customer_token("li.wei@example.com", SECRET, now=NOW)
    # Someone keeps the signature but swaps in another customer, or a later expiry.
    other_customer = {**_payload(token), "email": "maria.gonzalez@example.com"}
    later = {**_payload(token), "exp": int(NOW) + 10**9}
    assert read_customer_token(_with_payload(token, other_customer), SECRET, now=NOW) is None
    assert read_customer_token(_with_payload(token, later), SECRET, now=NOW) is None


def test_a_tampered_signature_is_ignored():
    token = sign_customer_token("maria.gonzalez@example.com", SECRET, now=NOW)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert read_customer_token(flipped, SECRET, now=NOW) is None
    assert read_customer_token(token.rsplit(".", 1)[0] + ".", SECRET, now=NOW) is None


@pytest.mark.parametrize("garbage", [
    None, "", "   ", 42, {"email": "maria.gonzalez@example.com"}, ["v1", "x", "y"],
    "not-a-token", "v1.only-two", "v2.e30.sig", "v1.!!!.###", "v1..", "a.b.c.d",
    "v1." + "A" * 5000 + ".sig", "v1.\u00e9\u00e9.\u00e9",
])
def test_garbage_is_ignored_not_an_error(garbage):
    assert read_customer_token(garbage, SECRET, now=NOW) is None


def test_a_correctly_signed_but_malformed_payload_is_ignored():
    # Signed with the right secret, so only the payload checks can refuse these.
    import hashlib
    import hmac

    def signed(claims: object) -> str:
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        part = f"v1.{body}"
        mac = hmac.new(SECRET.encode(), part.encode(), hashlib.sha256).digest()
        return f"{part}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"

    assert read_customer_token(signed({"email": "maria.gonzalez@example.com", "exp": int(NOW) + 60}),
                               SECRET, now=NOW) is not None  # the helper itself is right
    for claims in ([], "x", {"exp": int(NOW) + 60}, {"email": "not an email", "exp": int(NOW) + 60},
                   {"email": "94107", "exp": int(NOW) + 60},
                   {"email": "maria.gonzalez@example.com", "exp": "tomorrow"},
                   {"email": "maria.gonzalez@example.com", "exp": True}):
        assert read_customer_token(signed(claims), SECRET, now=NOW) is None, claims


def test_without_a_usable_secret_nothing_is_believed():
    token = sign_customer_token("maria.gonzalez@example.com", SECRET, now=NOW)
    assert read_customer_token(token, None, now=NOW) is None
    assert read_customer_token(token, "", now=NOW) is None
    with pytest.raises(TokenSecretError):
        sign_customer_token("maria.gonzalez@example.com", "short", now=NOW)


def test_signing_refuses_what_is_not_an_email():
    with pytest.raises(ValueError):
        sign_customer_token("94107", SECRET, now=NOW)


def test_the_secret_comes_from_the_environment_and_must_be_long_enough():
    assert secret_from_env({SECRET_ENV: SECRET}) == SECRET
    assert secret_from_env({SECRET_ENV: "short"}) is None
    assert secret_from_env({}) is None
