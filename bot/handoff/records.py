"""Handoffs as plain JSON-ready dicts (for the desk, its API and the webhook), and queue maths.

Times are ISO 8601 UTC strings like "2026-11-23T12:00:00Z"; None stays None.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Optional

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot.core.formatting import money
from bot.core.models import Handoff, HandoffMessage, HandoffStatus, MessageSender
from bot.handoff import replies
from bot.handoff.policy import reason_label
from bot.orders.lookup import orders_of_customer


def iso(moment: Optional[datetime]) -> Optional[str]:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"


def order_numbers_of(handoff: Handoff) -> List[str]:
    try:
        numbers = json.loads(handoff.order_numbers or "[]")
    except ValueError:
        return []
    return [str(n) for n in numbers] if isinstance(numbers, list) else []


def message_dict(message: HandoffMessage) -> Dict[str, Any]:
    return {
        "id": message.id,
        "sender": message.sender.value,
        "agent": message.agent,
        "text": message.text,
        "intent": message.intent,
        "confidence": message.confidence,
        "at": iso(message.created_at),
        "delivered_at": iso(message.delivered_at),
    }


def transcript_dicts(session: Session, handoff: Handoff, messages: List[HandoffMessage]) -> List[Dict[str, Any]]:
    """The messages as dicts; an agent's reply also says how its delivery went ("delivery":
    status delivered / pending / failed, detail, attempts)."""
    tried = replies.states(session, [m.id for m in messages if m.sender == MessageSender.AGENT])
    records = []
    for message in messages:
        record = message_dict(message)
        if message.sender == MessageSender.AGENT:
            record["delivery"] = replies.delivery_of(message, handoff.channel, tried.get(message.id))
        records.append(record)
    return records


def queue_position(session: Session, handoff: Handoff) -> int:
    """1 for the next queued handoff to be picked up; 0 when it is not queued."""
    if handoff.status is not HandoffStatus.QUEUED:
        return 0
    ahead = session.execute(
        select(func.count(Handoff.id)).where(
            Handoff.status == HandoffStatus.QUEUED,
            or_(
                Handoff.priority > handoff.priority,
                and_(Handoff.priority == handoff.priority,
                     or_(Handoff.created_at < handoff.created_at,
                         and_(Handoff.created_at == handoff.created_at, Handoff.id < handoff.id))),
            ),
        )
    ).scalar_one()
    return ahead + 1


def busy_agents(session: Session) -> int:
    return session.execute(
        select(func.count(func.distinct(Handoff.agent))).where(
            Handoff.status == HandoffStatus.ASSIGNED)
    ).scalar_one()


def handoff_dict(handoff: Handoff, now: datetime, position: int = 0) -> Dict[str, Any]:
    """The queue view of a handoff (no transcript)."""
    waiting_until = handoff.assigned_at or handoff.resolved_at or now
    return {
        "id": handoff.id,
        "conversation_id": handoff.conversation_id,
        "channel": handoff.channel,
        "customer_email": handoff.customer_email,
        "customer_id": handoff.customer_id,
        "verified": bool(handoff.verified),
        "order_numbers": order_numbers_of(handoff),
        "reason": handoff.reason,
        "reason_label": reason_label(handoff.reason),
        "priority": handoff.priority,
        "status": handoff.status.value,
        "agent": handoff.agent,
        "summary": handoff.summary,
        "position": position,
        "waiting_minutes": max(0, int((waiting_until - handoff.created_at).total_seconds() // 60)),
        "created_at": iso(handoff.created_at),
        "assigned_at": iso(handoff.assigned_at),
        "resolved_at": iso(handoff.resolved_at),
        "updated_at": iso(handoff.updated_at),
    }


def context_orders(session: Session, handoff: Handoff, currency: str) -> List[Dict[str, Any]]:
    """The customer's orders, only when the bot verified who they are."""
    if not handoff.verified or handoff.customer_id is None:
        return []
    return [
        {"number": o.number, "status": o.status, "total": money(o.total_cents, currency),
         "total_cents": o.total_cents, "placed_at": iso(o.placed_at), "items": o.item_count}
        for o in orders_of_customer(session, handoff.customer_id)
    ]


def detailed_dict(session: Session, handoff: Handoff, now: datetime, currency: str) -> Dict[str, Any]:
    """The handoff with its transcript and context (the customer's verified orders)."""
    record = handoff_dict(handoff, now, queue_position(session, handoff))
    messages = session.execute(
        select(HandoffMessage).where(HandoffMessage.handoff_id == handoff.id)
        .order_by(HandoffMessage.id)
    ).scalars().all()
    record["transcript"] = transcript_dicts(session, handoff, messages)
    record["context"] = context_orders(session, handoff, currency)
    return record
