"""While a customer waits for a person: no silence, a way back, and no wait without end.

- Each message written while the handoff is queued is added to it and answered briefly: the
  customer's place in line and the expected wait, or outside support hours when (and how) the
  team will answer, with a "Talk to the assistant" button (`hold`). While an agent has the
  conversation the agent answers, so the bot stays quiet.
- "Talk to the assistant" (the button, or those words) closes the handoff and the bot answers
  again (`hold` says `released`).
- A handoff nobody claimed within the profile's `handoff.return_unclaimed_after_minutes` goes
  back to the bot with an apology, which the customer reads first (`return_unclaimed`, run every
  minute by the desk); outside support hours the apology says when the team will email. One put
  back in the queue because its agent did not answer (bot.handoff.idle) waits that long again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Dict, List, Optional, Tuple

from sqlalchemy import select

from bot.core import clock
from bot.core.models import Handoff, HandoffStatus, MessageSender
from bot.handoff.changes import close, record
from bot.handoff.idle import queued_since
from bot.handoff.messages import BACK_TO_ASSISTANT_TITLE, released_text, returned_unclaimed_text, waiting_text
from bot.handoff.policy import expected_wait_minutes, support_now
from bot.handoff.records import busy_agents, queue_position
from bot.handoff.store import open_for, scope
from bot.handoff.support_hours import SupportStatus
from bot.profile.shop_profile import current_profile

#: The payload of the "Talk to the assistant" button.
BACK_TO_ASSISTANT = "/back_to_assistant"
BACK_BUTTON = {"title": BACK_TO_ASSISTANT_TITLE, "payload": BACK_TO_ASSISTANT}
_BACK_WORDS = frozenset({
    "talk to the assistant", "back to the assistant", "talk to the bot", "back to the bot",
    "go back to the assistant", "go back to the bot", "i'll talk to the assistant", "use the assistant",
    "never mind", "nevermind", "cancel the handoff", "stop waiting",
})


@dataclass(frozen=True)
class HeldMessage:
    """What the channel answers to a message written during a handoff."""

    reply: Optional[str]  # None: an agent has the conversation and answers
    buttons: List[Dict[str, str]] = field(default_factory=list)
    released: bool = False  # the customer went back to the assistant: the handoff is closed


@dataclass(frozen=True)
class ReturnedHandoff:
    conversation_id: str
    channel: str
    message_id: int  # the apology, undelivered until the customer reads it
    text: str


def wants_the_assistant(text: Optional[str]) -> bool:
    value = " ".join(re.sub(r"[^\w' /]", " ", str(text or "")).lower().split())
    return value == BACK_TO_ASSISTANT or value in _BACK_WORDS


def estimate(session, handoff: Handoff, now: datetime, profile) -> Tuple[int, int, SupportStatus]:
    """The handoff's place in line, the expected wait in minutes and the support hours now."""
    support = support_now(now, profile)
    position = queue_position(session, handoff)
    wait = expected_wait_minutes(position, busy_agents(session), profile.handoff)
    if not support.open_now and support.next_opening is not None:
        wait += int((support.next_opening - now).total_seconds() // 60)
    return position, wait, support


def hold(conversation_id: str, text: Optional[str], intent: Optional[str] = None,
         confidence: Optional[float] = None) -> Optional[HeldMessage]:
    """Record a message on the conversation's open handoff and say what to answer; None when
    no handoff is open (the bot answers)."""
    now = clock.now()
    with scope() as session:
        handoff = open_for(session, conversation_id)
        if handoff is None:
            return None
        if wants_the_assistant(text) and handoff.status is HandoffStatus.QUEUED and close(
                session, handoff, HandoffStatus.RESOLVED, now, only_from=[HandoffStatus.QUEUED]):
            record(session, handoff, MessageSender.BOT,
                   "The customer went back to the assistant before anyone picked this up.", now,
                   delivered=True)  # for the agents' record only
            return HeldMessage(released_text(), released=True)
        record(session, handoff, MessageSender.CUSTOMER, text, now, intent, confidence)
        if handoff.status is not HandoffStatus.QUEUED:
            return HeldMessage(None)
        profile = current_profile()
        position, wait, support = estimate(session, handoff, now, profile)
        return HeldMessage(waiting_text(position=position, wait_minutes=wait, support=support, now=now,
                                        profile=profile, customer_email=handoff.customer_email),
                           buttons=[dict(BACK_BUTTON)])


def return_unclaimed(after_minutes: Optional[int] = None) -> List[ReturnedHandoff]:
    """Give handoffs queued longer than `after_minutes` (default: the profile's) back to the bot,
    each with an apology for the customer to read first; returns them."""
    profile = current_profile()
    if after_minutes is None:
        after_minutes = profile.handoff.return_unclaimed_after_minutes
    now = clock.now()
    cutoff = now - timedelta(minutes=max(0, int(after_minutes)))
    returned: List[ReturnedHandoff] = []
    with scope() as session:
        stale = session.execute(select(Handoff).where(
            Handoff.status == HandoffStatus.QUEUED, Handoff.created_at < cutoff)).scalars().all()
        support = support_now(now, profile)
        for handoff in stale:
            if queued_since(handoff, list(handoff.messages)) >= cutoff:
                continue  # put back in the queue lately (bot.handoff.idle): its wait starts again
            if not close(session, handoff, HandoffStatus.EXPIRED, now, only_from=[HandoffStatus.QUEUED]):
                continue  # an agent claimed it just now
            text = returned_unclaimed_text(support=support, now=now, profile=profile,
                                           customer_email=handoff.customer_email)
            message_id = record(session, handoff, MessageSender.BOT, text, now)
            if message_id is not None:
                returned.append(ReturnedHandoff(handoff.conversation_id, handoff.channel, message_id, text))
    return returned
