"""What happens to a handoff after it is created: claimed, messages both ways, resolved, expired.

Re-exported by bot.handoff.service, which is the module callers import.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Dict, Iterable, List, Optional

from sqlalchemy import update

from bot.core import clock
from bot.core.models import OPEN_HANDOFF_STATUSES, Handoff, HandoffMessage, HandoffStatus, MessageSender
from bot.handoff import replies
from bot.handoff.messages import from_person, resumed_text
from bot.handoff.records import handoff_dict, message_dict, queue_position
from bot.handoff.store import (
    HandoffStateError,
    get_row,
    open_for,
    required_text,
    scope,
)
from bot.handoff.transcript import clean_text
from bot.profile.shop_profile import current_profile

_CLOSED = (HandoffStatus.RESOLVED, HandoffStatus.EXPIRED)


def _refuse_closed(handoff: Handoff, doing: str) -> None:
    if handoff.status in _CLOSED:
        raise HandoffStateError(f"handoff {handoff.id} is already {handoff.status.value}; "
                                f"it cannot be {doing}")


def _take(session, handoff: Handoff, agent: str, now) -> None:
    """Assign a queued handoff to `agent`, unless someone else was faster."""
    taken = session.execute(
        update(Handoff).where(Handoff.id == handoff.id, Handoff.status == HandoffStatus.QUEUED)
        .values(status=HandoffStatus.ASSIGNED, agent=agent, assigned_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(handoff)
    if not taken and handoff.agent != agent:
        _refuse_closed(handoff, "claimed")
        raise HandoffStateError(f"handoff {handoff.id} is already assigned to {handoff.agent}")


def claim(handoff_id: Any, agent: str) -> Dict[str, Any]:
    """`agent` takes a queued handoff; claiming your own again is fine."""
    agent = required_text(agent, "agent")[:100]
    now = clock.now()
    with scope() as session:
        handoff = get_row(session, handoff_id)
        _refuse_closed(handoff, "claimed")
        if handoff.status is HandoffStatus.ASSIGNED and handoff.agent != agent:
            raise HandoffStateError(f"handoff {handoff.id} is already assigned to {handoff.agent}")
        if handoff.status is HandoffStatus.QUEUED:
            _take(session, handoff, agent, now)
        return handoff_dict(handoff, now)


def add_agent_message(handoff_id: Any, agent: str, text: str) -> Dict[str, Any]:
    """An agent's reply, waiting for delivery; replying to a queued handoff claims it.

    The result is the message (see handoff_records.message_dict) plus the conversation_id,
    channel and customer_text (the reply marked as from a person) for pushing it at once.
    """
    agent = required_text(agent, "agent")[:100]
    required_text(text, "the message")
    text = clean_text(text)
    now = clock.now()
    with scope() as session:
        handoff = get_row(session, handoff_id)
        _refuse_closed(handoff, "answered")
        if handoff.status is HandoffStatus.QUEUED:
            _take(session, handoff, agent, now)
        elif handoff.agent != agent:
            raise HandoffStateError(f"handoff {handoff.id} is assigned to {handoff.agent}")
        message = HandoffMessage(handoff_id=handoff.id, sender=MessageSender.AGENT, agent=agent,
                                 text=text, created_at=now)
        session.add(message)
        handoff.updated_at = now
        session.flush()
        return dict(message_dict(message), handoff_id=handoff.id,
                    delivery=replies.delivery_of(message, handoff.channel, None),
                    conversation_id=handoff.conversation_id, channel=handoff.channel,
                    customer_text=from_person(agent, text))


def _number(value: Any) -> Optional[float]:
    try:
        return None if value is None or isinstance(value, bool) else round(float(value), 4)
    except (TypeError, ValueError):
        return None


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


def record(session, handoff: Handoff, sender: MessageSender, text: Any, now,
           intent: Optional[str] = None, confidence: Optional[float] = None, *,
           delivered: bool = False) -> Optional[int]:
    """Add a message to `handoff` in `session`; its id, or None for an empty text.
    `delivered`: a note for the agents only, never handed to the customer."""
    text = clean_text(text)
    if not text:
        return None
    message = HandoffMessage(handoff_id=handoff.id, sender=sender, text=text,
                             intent=(str(intent)[:100] if intent else None),
                             confidence=_number(confidence), created_at=now,
                             delivered_at=now if delivered else None)
    session.add(message)
    handoff.updated_at = now
    if sender == MessageSender.CUSTOMER and not handoff.customer_email:
        # outside support hours the bot asked for an email: keep it where agents look first
        found = _EMAIL.search(text)
        handoff.customer_email = found.group(0).lower() if found else None
    session.flush()
    return message.id


def _add(conversation_id: str, sender: MessageSender, text: Any, intent: Optional[str] = None,
         confidence: Optional[float] = None) -> Optional[int]:
    if not conversation_id or not clean_text(text):
        return None
    now = clock.now()
    with scope() as session:
        handoff = open_for(session, conversation_id)
        if handoff is None:
            return None
        # what the bot says on an open handoff is in its own answer: delivered already
        return record(session, handoff, sender, text, now, intent, confidence,
                      delivered=sender == MessageSender.BOT)


def add_customer_message(conversation_id: str, text: Optional[str], intent: Optional[str] = None,
                         confidence: Optional[float] = None) -> Optional[int]:
    """Record what the customer wrote on their open handoff; None if there is none (or no text)."""
    return _add(conversation_id, MessageSender.CUSTOMER, text, intent, confidence)


def add_bot_message(conversation_id: str, text: str) -> Optional[int]:
    """Record what the bot said on the conversation's open handoff; None if there is none."""
    return _add(conversation_id, MessageSender.BOT, text)


def take_undelivered_agent_messages(conversation_id: str) -> List[str]:
    """Messages for the customer not delivered yet (agent replies marked as from a person, the
    bot's last words after a resolution), oldest first, now marked delivered: for a channel whose
    answer carries them."""
    return replies.take_for(conversation_id)


def close(session, handoff: Handoff, status: HandoffStatus, now, *,
          only_from: Iterable[HandoffStatus] = OPEN_HANDOFF_STATUSES, **values: Any) -> bool:
    """Move `handoff` to `status` if it is still in one of `only_from` (one conditional update:
    of two callers at the same moment, one wins); refreshed either way. True if this call did."""
    done = session.execute(
        update(Handoff).where(Handoff.id == handoff.id, Handoff.status.in_(list(only_from)))
        .values(status=status, resolved_at=now, updated_at=now, **values)
        .execution_options(synchronize_session=False)).rowcount
    session.refresh(handoff)
    return bool(done)


def resolve(handoff_id: Any, agent: str) -> Dict[str, Any]:
    """Close the handoff; the bot answers the conversation again."""
    agent = required_text(agent, "agent")[:100]
    now = clock.now()
    with scope() as session:
        handoff = get_row(session, handoff_id)
        _refuse_closed(handoff, "resolved")
        if not close(session, handoff, HandoffStatus.RESOLVED, now, agent=handoff.agent or agent):
            _refuse_closed(handoff, "resolved")
        # what the customer reads next, before the bot's own answer (see the channels)
        session.add(HandoffMessage(handoff_id=handoff.id, sender=MessageSender.BOT,
                                   text=resumed_text(), created_at=now))
        return handoff_dict(handoff, now, queue_position(session, handoff))


def add_closing_message(handoff_id: Any, text: str) -> Optional[int]:
    """A message from the bot to the customer after their handoff ended (a survey question):
    delivered like the "I'm back" before it. None for an empty text or a handoff still open."""
    with scope() as session:
        handoff = get_row(session, handoff_id)
        if handoff.resolved_at is None:
            return None
        return record(session, handoff, MessageSender.BOT, text, max(clock.now(), handoff.resolved_at))


def expire_stale(older_than_minutes: Optional[int] = None) -> int:
    """Expire open handoffs without activity for that long (default: the profile's
    handoff.expire_after_hours); returns how many."""
    if older_than_minutes is None:
        older_than_minutes = current_profile().handoff.expire_after_hours * 60
    now = clock.now()
    cutoff = now - timedelta(minutes=max(0, int(older_than_minutes)))
    with scope() as session:
        return session.execute(
            update(Handoff).where(Handoff.status.in_(OPEN_HANDOFF_STATUSES), Handoff.updated_at < cutoff)
            .values(status=HandoffStatus.EXPIRED, resolved_at=now, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount
