"""Claimed handoffs whose customer is left waiting: the agent is reminded, then anyone may take it.

A claimed handoff is idle while its customer waits for an answer: from the claim until the
agent's first reply, or from the customer's first message after the agent's last reply. After the
profile's `handoff.remind_idle_after_minutes` the transcript gets a reminder for the agents
(once per wait) and, when a handoff webhook is set, a `handoff.reminder` event goes out through
the outbox; after `handoff.requeue_idle_after_minutes` the handoff goes back to the queue
(noted in the transcript), where any agent can claim it and the customer's messages are answered
as in the queue (bot.handoff.waiting). `check_idle` runs every minute in the desk.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from sqlalchemy import select, update

from bot.core import clock
from bot.core.models import Handoff, HandoffMessage, HandoffStatus, MessageSender
from bot.handoff.changes import record
from bot.handoff.messages import REMINDER_PREFIX, REQUEUED_PREFIX, reminder_note, requeued_note
from bot.handoff.outbox import enqueue_event
from bot.handoff.store import scope
from bot.profile.shop_profile import current_profile

REMINDED, REQUEUED = "reminded", "requeued"


@dataclass(frozen=True)
class IdleChange:
    handoff_id: int
    conversation_id: str
    agent: str
    change: str  # REMINDED or REQUEUED
    waiting_minutes: int


def waiting_since(handoff: Handoff, messages: List[HandoffMessage]) -> Optional[datetime]:
    """Since when the customer of a claimed handoff waits for an answer; None when they do not."""
    claimed = handoff.assigned_at
    if claimed is None:
        return None
    replies = [m.created_at for m in messages if m.sender == MessageSender.AGENT and m.created_at >= claimed]
    if not replies:
        return claimed  # this agent has not answered yet (earlier agents' replies do not count)
    asked = [m.created_at for m in messages if m.sender == MessageSender.CUSTOMER and m.created_at > max(replies)]
    return min(asked) if asked else None


def queued_since(handoff: Handoff, messages: List[HandoffMessage]) -> datetime:
    """When the handoff joined the queue last: created, or put back by `check_idle`."""
    back = [m.created_at for m in messages
            if m.sender == MessageSender.BOT and m.text.startswith(REQUEUED_PREFIX)]
    return max([handoff.created_at, *back])


def _reminded(messages: List[HandoffMessage], since: datetime) -> bool:
    return any(m.sender == MessageSender.BOT and m.created_at >= since and m.text.startswith(REMINDER_PREFIX)
               for m in messages)


def _webhook_event(session, handoff: Handoff, change: IdleChange, now: datetime) -> None:
    event = "handoff.reminder" if change.change == REMINDED else "handoff.requeued"
    enqueue_event(session, handoff.id, {"event": event, "handoff": {
        "id": handoff.id, "conversation_id": handoff.conversation_id, "agent": change.agent,
        "waiting_minutes": change.waiting_minutes}}, now)


def check_idle(now: Optional[datetime] = None) -> List[IdleChange]:
    """Remind the agents of claimed handoffs whose customer waits, and put back in the queue
    those that waited too long; what changed."""
    policy = current_profile().handoff
    now = now or clock.now()
    changes: List[IdleChange] = []
    with scope() as session:
        claimed = session.execute(select(Handoff).where(Handoff.status == HandoffStatus.ASSIGNED)).scalars().all()
        for handoff in claimed:
            messages = list(handoff.messages)
            since = waiting_since(handoff, messages)
            if since is None:
                continue
            minutes = int((now - since).total_seconds() // 60)
            agent = handoff.agent or "the agent"
            if minutes >= policy.requeue_idle_after_minutes:
                moved = session.execute(
                    update(Handoff).where(Handoff.id == handoff.id, Handoff.status == HandoffStatus.ASSIGNED,
                                          Handoff.agent == handoff.agent,
                                          Handoff.updated_at == handoff.updated_at)
                    .values(status=HandoffStatus.QUEUED, agent=None, assigned_at=None, updated_at=now)
                    .execution_options(synchronize_session=False)).rowcount
                if not moved:
                    continue  # the agent answered or resolved it just now
                session.refresh(handoff)
                record(session, handoff, MessageSender.BOT, requeued_note(agent, minutes), now, delivered=True)
                change = IdleChange(handoff.id, handoff.conversation_id, agent, REQUEUED, minutes)
            elif minutes >= policy.remind_idle_after_minutes and not _reminded(messages, since):
                record(session, handoff, MessageSender.BOT, reminder_note(agent, minutes), now, delivered=True)
                change = IdleChange(handoff.id, handoff.conversation_id, agent, REMINDED, minutes)
            else:
                continue
            _webhook_event(session, handoff, change, now)
            changes.append(change)
    return changes
