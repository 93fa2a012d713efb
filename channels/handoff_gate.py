"""What the input channels ask the handoff service before the bot sees a customer message.

The service is synchronous (SQLAlchemy), so every call runs in a worker thread. A handoff
database that cannot be reached is logged and the message refused with the apology asking to
send it again (a person may have the conversation, so the bot must not answer over them).
A message held for a person gets a brief answer of its own while the handoff waits in the
queue (bot.handoff.waiting), so the customer is never left in silence.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from bot.handoff import service as handoff_service
from bot.handoff.messages import resumed_text
from bot.reports import surveys
from bot.reports.survey_messages import COMMENT, Question
from bot.text.trouble_message import technical_trouble_text

log = logging.getLogger(__name__)

#: Marks a message as written by a person from the team, not by the bot.
FROM_AGENT = {"from": "agent"}


@dataclass(frozen=True)
class Turn:
    """What the channel does with one customer message."""

    #: The bot stays quiet: a person has the conversation (the message was recorded for them),
    #: or the message answered a survey question (`reply` is what comes next).
    held: bool
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


async def send_pending(conversation_id: str, send: Callable[[str], Awaitable[Any]]) -> int:
    """Send the conversation's undelivered messages from the team through `send` (which raises
    when the app does not take one), each marked delivered only once it went; how many there were."""
    try:
        claimed = await asyncio.to_thread(handoff_service.claim_replies_for, conversation_id)
    except Exception:
        log.exception("could not read agent messages for conversation %s", conversation_id)
        return 0
    for reply in claimed:
        try:
            await send(reply.text)
            error = None
        except Exception as err:  # the app's API is down: the desk tries again, the turn goes on
            log.warning("could not deliver message %s to %s: %s", reply.message_id, conversation_id, err)
            error = f"the app did not take it: {err}"
        try:
            await asyncio.to_thread(handoff_service.settle_reply, reply.message_id, error,
                                    attempt=reply.attempt)
        except Exception:  # the lease runs out and the desk sends it again
            log.exception("could not record the delivery of message %s", reply.message_id)
    return len(claimed)


async def survey_answer(conversation_id: str, text: Optional[str], agent: Any) -> Optional[surveys.SurveyReply]:
    """The message recorded as the answer to the waiting survey question, and what follows;
    None when nothing waits or it is not an answer (then the bot answers it). Errors are logged:
    the bot answers instead."""
    try:
        step = await asyncio.to_thread(surveys.pending_step, conversation_id)
        if step is None:
            return None
        intent, confidence = await parse_intent(agent, text) if step == COMMENT else (None, None)
        return await asyncio.to_thread(surveys.answer, conversation_id, text, intent, confidence)
    except Exception:
        log.exception("could not read a survey answer in conversation %s", conversation_id)
        return None


async def begin_turn(conversation_id: Optional[str], text: Optional[str], agent: Any,
                     send: Optional[Callable[[str], Awaitable[Any]]] = None) -> Turn:
    """Check for an open handoff; if there is one, record the message with its intent.

    Either way the undelivered messages from the team come first (after a resolution: the
    agent's last words): sent through `send` when given, else taken into `Turn.pending` for
    the channel's answer to carry.
    """

    if not conversation_id:
        return Turn(held=False)
    conversation_id = str(conversation_id)
    name = conversation_id
    shown = 0  # messages from the team the customer gets in this turn

    async def pending() -> List[str]:
        nonlocal shown
        if send is None:
            taken = await take_pending(name)
            shown += len(taken)
            return taken
        shown += await send_pending(name, send)
        return []

    async def bot_turn() -> Turn:
        """No person has the conversation: the bot answers, unless the message answers the
        survey question the customer saw (one handed out just now was not seen yet)."""
        first = await pending()
        answered = None if shown else await survey_answer(name, text, agent)
        if answered is None:
            return Turn(held=False, pending=first)
        return Turn(held=True, pending=first, reply=answered.text, buttons=list(answered.buttons))
    try:
        handoff_id = await asyncio.to_thread(handoff_service.open_handoff_for, conversation_id)
    except Exception:
        # A person may have this conversation: the bot must not answer over them, and the
        # message cannot be recorded for them. Refused, with the apology asking to send it again.
        log.exception("handoff database unavailable; conversation %s asked to send again",
                      conversation_id)
        return Turn(held=True, reply=technical_trouble_text())
    if handoff_id is None:
        return await bot_turn()
    intent, confidence = await parse_intent(agent, text)
    try:
        held = await asyncio.to_thread(handoff_service.hold, conversation_id, text, intent, confidence)
    except Exception:  # a person has the conversation: the bot stays quiet, the customer is told
        log.exception("could not record a message on handoff %s", handoff_id)
        return Turn(held=True, pending=await pending(), reply=technical_trouble_text())
    if held is None:  # closed a moment ago: the bot answers, after the agent's last words
        return await bot_turn()
    # (after "Talk to the assistant", held.released: the bot answers their next message)
    return Turn(held=True, pending=await pending(), reply=held.reply,
                buttons=list(held.buttons))


def _from_person(text: str, asked: Optional[Question]) -> bool:
    # Pending messages are an agent's, or the bot's own after a resolution ("I'm back", a survey
    # question: `asked`).
    return text != resumed_text() and asked is None


def rest_message(recipient_id: str, text: str) -> Dict[str, Any]:
    """A pending message in the REST channel's response format (agent ones marked as such)."""
    message: Dict[str, Any] = {"recipient_id": recipient_id, "text": text}
    asked = surveys.question_of(text)
    if _from_person(text, asked):
        message["custom"] = dict(FROM_AGENT)
    if asked is not None and asked.buttons:
        message["buttons"] = [dict(b) for b in asked.buttons]
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
        message["quick_replies"] = quick_replies(turn.buttons)
    return [message]


def quick_replies(buttons: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Buttons in Rasa's socket.io quick-reply format (the widget shows them under the text)."""
    return [{"content_type": "text", **b} for b in buttons]


def socket_message(text: str) -> Dict[str, Any]:
    """A pending message as a socket.io bot message (agent ones marked as such)."""
    message: Dict[str, Any] = {"text": text}
    asked = surveys.question_of(text)
    if _from_person(text, asked):
        message["metadata"] = dict(FROM_AGENT)
    if asked is not None and asked.buttons:
        message["quick_replies"] = quick_replies(asked.buttons)
    return message
