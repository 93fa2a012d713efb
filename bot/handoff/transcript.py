"""Conversation transcripts for handoffs: built from Rasa tracker events, secrets masked.

Events are the plain dicts Rasa's tracker store and REST API return; only "user" and "bot"
events become transcript lines. Every text goes through `mask_secrets` first.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Mapping, Optional

from bot.orders.lookup import normalize_order_number
from bot.privacy.secrets import mask_secrets

CUSTOMER, BOT, AGENT = "customer", "bot", "agent"
MAX_TEXT = 4000  # longer texts are cut, so one message cannot flood the desk


@dataclass(frozen=True)
class TranscriptEntry:
    sender: str  # CUSTOMER, BOT or AGENT
    text: str  # masked
    at: Optional[datetime]  # naive UTC; None when the event had no timestamp
    intent: Optional[str] = None
    confidence: Optional[float] = None


def clean_text(text: Any) -> str:
    """A message as stored: text, trimmed, cut to MAX_TEXT, secrets masked."""
    value = "" if text is None else str(text).strip()
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT] + "…"
    return mask_secrets(value)


# --------------------------------------------------------------------------- events


def _timestamp(event: Mapping[str, Any]) -> Optional[datetime]:
    value = event.get("timestamp")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, timezone.utc).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _buttons(event: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    data = event.get("data")
    buttons = data.get("buttons") if isinstance(data, Mapping) else None
    return [b for b in buttons if isinstance(b, Mapping)] if isinstance(buttons, list) else []


def _intent(event: Mapping[str, Any]) -> tuple:
    parse = event.get("parse_data")
    intent = parse.get("intent") if isinstance(parse, Mapping) else None
    if not isinstance(intent, Mapping):
        return None, None
    name = intent.get("name") if isinstance(intent.get("name"), str) else None
    confidence = intent.get("confidence")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
        confidence = None
    return name, (round(float(confidence), 4) if confidence is not None else None)


def _bot_text(event: Mapping[str, Any]) -> str:
    text = str(event.get("text") or "").strip()
    titles = [str(b.get("title")).strip() for b in _buttons(event) if b.get("title")]
    if titles:
        text = f"{text}\n[buttons: {' | '.join(titles)}]".strip()
    return text


def transcript_from_events(events: Iterable[Any]) -> List[TranscriptEntry]:
    """Customer and bot lines of a tracker's events, in order; other events are ignored.

    A button payload the customer sent ("/human_handoff", '/inform{"x": 1}') shows as the
    title of the button the bot had just offered, and is left out when no button matches.
    """
    entries: List[TranscriptEntry] = []
    last_buttons: Dict[str, str] = {}
    for event in events or ():
        if not isinstance(event, Mapping):
            continue
        kind = event.get("event")
        if kind == "bot":
            text = _bot_text(event)
            last_buttons = {str(b.get("payload", "")).strip(): str(b.get("title", "")).strip()
                            for b in _buttons(event)}
            if text:
                entries.append(TranscriptEntry(BOT, clean_text(text), _timestamp(event)))
        elif kind == "user":
            text = str(event.get("text") or "").strip()
            if text.startswith("/"):
                text = last_buttons.get(text, "")
            if text:
                intent, confidence = _intent(event)
                entries.append(TranscriptEntry(
                    CUSTOMER, clean_text(text), _timestamp(event), intent, confidence))
    return entries


# --------------------------------------------------------------------------- summary

#: How an intent reads in a summary; intents not listed read as their name in words.
INTENT_LABELS = {
    "order_status": "where their order is", "other_orders": "their other orders",
    "return_request": "a return", "exchange_request": "an exchange",
    "return_policy": "the return policy", "refund_status": "a refund",
    "damaged_item": "a damaged item", "wrong_item": "a wrong item",
    "missing_package": "a missing parcel", "shipping_options": "shipping options",
    "delivery_estimate": "a delivery date", "cancel_order": "cancelling an order",
    "change_address": "changing an address", "faq": "a general question",
    "human_handoff": "talking to a person", "complaint": "a complaint",
}
_NOT_TOPICS = {"greet", "goodbye", "thank", "affirm", "deny", "inform", "bot_challenge", "help",
               "stop", "nlu_fallback", "out_of_scope", "unsupported_language", "insult"}
#: Slots worth showing an agent, with their labels (never the ownership proof itself).
SLOT_LABELS = (
    ("return_item", "return item"), ("return_reason", "return reason"),
    ("return_reason_detail", "in their words"), ("return_resolution", "wants"),
    ("claim_kind", "claim"), ("claim_number", "claim number"),
    ("claim_item", "claim item"), ("claim_description", "problem"),
    ("claim_resolution", "claim remedy"), ("shipping_method", "shipping method"),
    ("location", "destination"), ("new_address", "new address"),
)


def _topic(intent: str) -> str:
    return INTENT_LABELS.get(intent, intent.replace("_", " "))


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_summary(entries: List[TranscriptEntry], slots: Optional[Mapping[str, Any]] = None,
                  reason: Optional[str] = None) -> str:
    """A few lines for the agent: the handoff reason, topics, last request and slots collected."""
    slots = slots or {}
    lines: List[str] = []
    if reason:
        lines.append(f"Handed off: {reason}.")
    topical = [e for e in entries if e.sender == CUSTOMER and e.intent
               and e.intent not in _NOT_TOPICS and e.intent != "human_handoff"]
    topics = list(dict.fromkeys(_topic(e.intent) for e in topical if e.intent))
    if topics:
        lines.append(f"Asked about: {', '.join(topics)}.")
        lines.append(f"Last request: \"{_short(topical[-1].text)}\"")
    said = [e.text for e in entries if e.sender == CUSTOMER]
    if said and (not topical or said[-1] != topical[-1].text):
        lines.append(f"Last message: \"{_short(said[-1])}\"")
    order = normalize_order_number(slots.get("order_number")) or slots.get("order_number")
    verified = [str(n) for n in slots.get("verified_orders") or []]
    if order:
        state = "verified" if str(order) in verified else "not verified"
        lines.append(f"Order: {order} ({state}).")
    elif verified:
        lines.append(f"Verified orders: {', '.join(verified)}.")
    failed = int(float(slots.get("failed_checks") or 0))
    if failed:
        lines.append(f"Failed ownership checks: {failed}.")
    collected = [f"{label}: {_short(clean_text(slots[key]), 80)}"
                 for key, label in SLOT_LABELS if slots.get(key) not in (None, "", [])]
    if collected:
        lines.append("Collected: " + "; ".join(collected) + ".")
    return "\n".join(lines) or "No details were collected before the handoff."


def format_transcript(entries: Iterable[Any]) -> str:
    """A plain-text transcript, one message per line; entries or dicts with the same keys."""
    lines = []
    for e in entries:
        get = e.get if isinstance(e, Mapping) else lambda k, _e=e: getattr(_e, k, None)
        at = get("at")
        when = at if isinstance(at, str) else (f"{at:%Y-%m-%d %H:%M} UTC" if at else "")
        extra = ""
        if get("intent"):
            conf = get("confidence")
            extra = f"  [intent {get('intent')}" + (f", {conf:.2f}]" if conf is not None else "]")
        text = str(get("text") or "").replace("\n", "\n    ")
        lines.append(f"{when}  {str(get('sender')).capitalize()}: {text}{extra}".strip())
    return "\n".join(lines) + "\n"
