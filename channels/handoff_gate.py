"""What the input channels ask the handoff service before the bot sees a customer message.

The service is synchronous (SQLAlchemy), so every call runs in a worker thread. A handoff
database that cannot be reached is logged and treated as "no handoff": the bot answers.
A message held for a person gets a brief answer of its own while the handoff waits in the
queue (bot.handoff.waiting), so the customer is never left in silence.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from bot.handoff import service as handoff_service
from bot.handoff.messages import resumed_text

log = logging.getLogger(__name__)

#: Marks a message as written by a person from the team, not by the bot.
FROM_AGENT = {"from": "agent"}


@dataclass(frozen=True)
class Turn:
    """What the channel does with one customer message."""

    held: bool  # a person has the conversation: the message was recorded, the bot stays quiet
    pending: List[str] = field(default_factory=list)  # agent messages to show first, in order
    #: While held: the brief answer (the place in line, or when the team answers) and its
    #: buttons; None while an agent has the conversation (bot.handoff.waiting).
    reply: Optional[str] = None
    buttons: List[Dict[str, str]] = field(default_factory=list)


async def parse_intent(agent: Any, text: Optional[str]) -> Tuple[Optional[str], Optional[float]]:
    """The intent and confidence the bot's model sees in `text`; (None, None) if it cannot say."""
    if agent is None or not isinstance(text, str) or not text.strip():
        return None, None
    try:
        parsed = await agent.parse_message(text)
        intent = (parsed or {}).get("intent") or {}
        name, confidence = intent.get("name"), intent.get("confidence")
    except Exception as err:  # no model loaded, a broken pipeline...: record the text anyway
        log.warning("could not parse a message sent during a handoff: %s", err)
        return None, None
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
        confidence = None
    return (str(name) if name else None), confidence


async def take_pending(conversation_id: str) -> List[str]:
    """Agent messages the customer has not received yet (now marked delivered); [] on errors."""
    try:
        return list(await asyncio.to_thread(
            handoff_service.take_undelivered_agent_messages, conversation_id))
    except Exception:
        log.exception("could not read agent messages for conversation %s", conversation_id)
        return []


async def begin_turn(conversation_id: Optional[str], text: Optional[str], agent: Any) -> Turn:
    """Check for an open handoff; if there is one, record the message with its intent.

    Either way the undelivered agent messages are taken, for the channel to show before
    anything else (after a resolution: the agent's last words).
    """
    if not conversation_id:
        return Turn(held=False)
    conversation_id = str(conversation_id)
    try:
        handoff_id = await asyncio.to_thread(handoff_service.open_handoff_for, conversation_id)
    except Exception:
        log.exception("handoff database unavailable; the bot answers conversation %s",
                      conversation_id)
        return Turn(held=False)
    if handoff_id is None:
        return Turn(held=False, pending=await take_pending(conversation_id))
    intent, confidence = await parse_intent(agent, text)
    try:
        held = await asyncio.to_thread(handoff_service.hold, conversation_id, text, intent, confidence)
    except Exception:  # the person still has the conversation: the bot stays quiet
        log.exception("could not record a message on handoff %s", handoff_id)
        return Turn(held=True, pending=await take_pending(conversation_id))
    if held is None:  # closed a moment ago: the bot answers, after the agent's last words
        return Turn(held=False, pending=await take_pending(conversation_id))
    # (after "Talk to the assistant", held.released: the bot answers their next message)
    return Turn(held=True, pending=await take_pending(conversation_id), reply=held.reply,
                buttons=list(held.buttons))


def _from_person(text: str) -> bool:
    # Everything pending is an agent's message, except the bot's "I'm back" after resolution.
    return text != resumed_text()


def rest_message(recipient_id: str, text: str) -> Dict[str, Any]:
    """A pending message in the REST channel's response format (agent ones marked as such)."""
    message: Dict[str, Any] = {"recipient_id": recipient_id, "text": text}
    if _from_person(text):
        message["custom"] = dict(FROM_AGENT)
    return message


def rest_reply(recipient_id: str, turn: Turn) -> List[Dict[str, Any]]:
    """The held turn's own answer in the REST format ([] when an agent answers)."""
    if not turn.reply:
        return []
    message: Dict[str, Any] = {"recipient_id": recipient_id, "text": turn.reply}
    if turn.buttons:
        message["buttons"] = [dict(b) for b in turn.buttons]
    return [message]


def socket_reply(turn: Turn) -> List[Dict[str, Any]]:
    """The held turn's own answer as a socket.io bot message (Rasa's quick-reply format)."""
    if not turn.reply:
        return []
    message: Dict[str, Any] = {"text": turn.reply}
    if turn.buttons:
        message["quick_replies"] = [{"content_type": "text", **b} for b in turn.buttons]
    return [message]


def socket_message(text: str) -> Dict[str, Any]:
    """A pending message as a socket.io bot message (agent ones marked as such)."""
    message: Dict[str, Any] = {"text": text}
    if _from_person(text):
        message["metadata"] = dict(FROM_AGENT)
    return message
