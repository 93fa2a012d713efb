"""Who is signed in on the shop's site, from the token the chat widget sends with a message.

The widget puts `{"customer_token": "..."}` in each message's metadata (credentials.yml:
metadata_key customData). A client that sends metadata only when the conversation starts
leaves it in Rasa's `session_started_metadata` slot instead, so that is read as a fallback.
"""
from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Tracker

from bot.orders.customer_token import METADATA_KEY as TOKEN_KEY
from bot.orders.customer_token import SignedInCustomer, read_customer_token, secret_from_env


def customer_token(tracker: Tracker) -> Any:
    """The token of the latest message, else the one the session started with; None if neither."""
    latest = (tracker.latest_message or {}).get("metadata")
    if isinstance(latest, dict) and TOKEN_KEY in latest:
        return latest[TOKEN_KEY]
    started = tracker.get_slot("session_started_metadata")
    return started.get(TOKEN_KEY) if isinstance(started, dict) else None


def signed_in_customer(tracker: Tracker) -> Optional[SignedInCustomer]:
    """The customer a valid token names; None for no token or an expired or forged one."""
    return read_customer_token(customer_token(tracker), secret_from_env())
