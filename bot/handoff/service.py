"""Handoffs to people: the calls the assistant's actions and the agent desk make.

Each call opens its own short session on the shop database (the three handoff tables are
created on first use). A conversation has at most one open (queued or assigned) handoff.
Unknown ids raise HandoffNotFound and calls that do not fit the state raise HandoffStateError
(the desk answers 404 and 409); bad input raises HandoffInputError (a ValueError: 400).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Iterable, List, Mapping, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.alerts import messages as alert_messages
from bot.alerts import service as alerts
from bot.core import clock
from bot.core.models import OPEN_HANDOFF_STATUSES, Customer, Handoff, HandoffMessage, HandoffStatus, MessageSender
from bot.handoff import outbox
from bot.handoff.changes import (
    add_agent_message,
    add_bot_message,
    add_closing_message,
    add_customer_message,
    claim,
    expire_stale,
    resolve,
    take_undelivered_agent_messages,
)
from bot.handoff.idle import check_idle
from bot.handoff.messages import COMPLAINT_ACKNOWLEDGEMENT, next_steps_text
from bot.handoff.policy import (
    COMPLAINT,
    VERIFICATION_FAILED,
    priority_for,
    reason_label,
)
from bot.handoff.records import (
    detailed_dict,
    handoff_dict,
    transcript_dicts,
)
from bot.handoff.replies import claim_due as claim_due_replies
from bot.handoff.replies import claim_for as claim_replies_for
from bot.handoff.replies import claim_message as claim_reply
from bot.handoff.replies import settle as settle_reply
from bot.handoff.store import (
    HandoffError,
    HandoffInputError,
    HandoffNotFound,
    HandoffStateError,
    get_row,
    int_or_none,
    open_for,
    required_text,
    scope,
)
from bot.handoff.transcript import build_summary, transcript_from_events
from bot.handoff.waiting import estimate, hold, return_unclaimed
from bot.orders.lookup import normalize_order_number
from bot.profile.shop_profile import current_profile


@dataclass(frozen=True)
class HandoffTicket:
    id: int
    position: int  # 1 = next in line; 0 = already with an agent
    expected_wait_minutes: int  # outside support hours: until the next opening, plus the queue
    within_hours: bool
    message: str  # what the customer reads next
    existing: bool = False  # the conversation already had this open handoff


def _ticket(session: Session, handoff: Handoff, now: datetime, existing: bool) -> HandoffTicket:
    profile = current_profile()
    position, wait, support = estimate(session, handoff, now, profile)
    message = next_steps_text(position=position, wait_minutes=wait, support=support, now=now,
                              profile=profile, customer_email=handoff.customer_email)
    if handoff.reason == COMPLAINT and not existing:
        message = f"{COMPLAINT_ACKNOWLEDGEMENT} {message}"
    return HandoffTicket(handoff.id, position, wait, support.open_now, message, existing)


def create_handoff(conversation_id: str, channel: str, events: Iterable[Mapping[str, Any]],
                   reason: str, *, customer_email: Optional[str] = None,
                   customer_id: Optional[int] = None, verified: bool = False,
                   order_numbers: Iterable[str] = (), slots: Optional[Mapping[str, Any]] = None,
                   priority: Optional[int] = None) -> HandoffTicket:
    """Queue the conversation for a person, transcript attached; returns what to tell them.

    If the conversation already has an open handoff, that one is returned (existing=True).
    Without customer_id, a `verified_customer_id` slot marks the customer as verified.
    """
    conversation_id = str(conversation_id or "").strip()
    if not conversation_id:
        raise HandoffInputError("conversation_id must not be empty")
    reason = required_text(reason, "reason")
    slots = dict(slots or {})
    now = clock.now()
    if customer_id is None and int_or_none(slots.get("verified_customer_id")) is not None:
        customer_id, verified = int_or_none(slots["verified_customer_id"]), True
    candidates: List[Any] = list(order_numbers) or [slots.get("order_number")]
    numbers = [n for n in (normalize_order_number(x) for x in candidates) if n]
    try:
        with scope() as session:
            existing = open_for(session, conversation_id)
            if existing is not None:
                return _ticket(session, existing, now, existing=True)
            entries = transcript_from_events(events)
            email = (customer_email or "").strip().lower() or None
            customer_id = int_or_none(customer_id)
            if email is None and verified and customer_id is not None:
                customer = session.get(Customer, customer_id)
                email = customer.email if customer else None
            handoff = Handoff(
                conversation_id=conversation_id, channel=(channel or "unknown").strip()[:64],
                customer_email=email, customer_id=customer_id, verified=bool(verified),
                order_numbers=json.dumps(list(dict.fromkeys(numbers))), reason=reason[:64],
                priority=priority if priority is not None else priority_for(reason),
                summary=build_summary(entries, slots, reason_label(reason)),
                status=HandoffStatus.QUEUED, created_at=now, updated_at=now)
            session.add(handoff)
            session.flush()
            # The conversation so far: the customer has seen the bot's part of it already (and
            # its times are the events', which a frozen test clock may put after the resolution).
            session.add_all(HandoffMessage(
                handoff_id=handoff.id, sender=MessageSender(e.sender), text=e.text,
                intent=e.intent, confidence=e.confidence, created_at=e.at or now,
                delivered_at=now if e.sender == MessageSender.BOT.value else None)
                for e in entries)
            session.flush()
            profile = current_profile()
            outbox.enqueue_handoff(session, detailed_dict(session, handoff, now, profile.currency),
                                   now, profile)
            if reason == COMPLAINT:
                alerts.raise_alert(session, alert_messages.COMPLAINT, alerts.Source(
                    conversation_id, handoff.channel, handoff.id, email, numbers[0] if numbers else None),
                    alert_messages.complaint_text(handoff.id, next(
                        (e.text for e in reversed(entries) if e.sender == MessageSender.CUSTOMER.value), None)), now,
                    details={"order_numbers": json.loads(handoff.order_numbers or "[]")})
            return _ticket(session, handoff, now, existing=False)
    except IntegrityError:  # another call opened one for this conversation at the same moment
        with scope() as session:
            existing = open_for(session, conversation_id)
            if existing is None:
                raise
            return _ticket(session, existing, now, existing=True)


def verification_handoff_since(order_numbers: Iterable[str], since: datetime) -> bool:
    """Whether a failed-proof handoff about any of these orders was opened since `since`:
    guessing from many conversations must not fill the agents' queue (one per order and window)."""
    wanted = {n for n in (normalize_order_number(x) for x in order_numbers) if n}
    if not wanted:
        return False
    with scope() as session:
        recent = session.execute(select(Handoff.order_numbers).where(
            Handoff.reason == VERIFICATION_FAILED, Handoff.created_at >= since)).scalars()
        return any(wanted & set(json.loads(numbers or "[]")) for numbers in recent)


def open_handoff_for(conversation_id: str) -> Optional[int]:
    """The id of the conversation's open handoff (the bot stays quiet then), or None."""
    with scope() as session:
        handoff = open_for(session, conversation_id)
        return handoff.id if handoff else None


def list_handoffs(status: Optional[str] = None) -> List[Dict[str, Any]]:
    """Handoffs, most urgent first, then longest waiting; status: one of the four or "open"."""
    if status in (None, ""):
        wanted = list(HandoffStatus)
    elif status == "open":
        wanted = list(OPEN_HANDOFF_STATUSES)
    else:
        try:
            wanted = [HandoffStatus(str(status))]
        except ValueError:
            raise HandoffInputError(
                f"unknown status {status!r}; use queued, assigned, resolved, expired or open") from None
    now = clock.now()
    with scope() as session:
        handoffs = session.execute(
            select(Handoff).where(Handoff.status.in_(wanted))
            .order_by(Handoff.priority.desc(), Handoff.created_at, Handoff.id)).scalars().all()
        position = 0
        records = []
        for h in handoffs:
            position += h.status is HandoffStatus.QUEUED
            records.append(handoff_dict(h, now, position if h.status is HandoffStatus.QUEUED else 0))
        return records


def get_handoff(handoff_id: Any) -> Optional[Dict[str, Any]]:
    """The handoff with summary, transcript and context; None when there is no such id."""
    with scope() as session:
        try:
            handoff = get_row(session, handoff_id)
        except HandoffNotFound:
            return None
        return detailed_dict(session, handoff, clock.now(), current_profile().currency)


def get_messages(handoff_id: Any, after_id: int = 0) -> List[Dict[str, Any]]:
    """Transcript lines newer than message `after_id`, for a desk that polls for new ones."""
    with scope() as session:
        handoff = get_row(session, handoff_id)
        messages = session.execute(
            select(HandoffMessage).where(HandoffMessage.handoff_id == int(handoff_id),
                                         HandoffMessage.id > (int_or_none(after_id) or 0))
            .order_by(HandoffMessage.id)).scalars().all()
        return transcript_dicts(session, handoff, messages)


__all__ = [
    "HandoffError", "HandoffInputError", "HandoffNotFound", "HandoffStateError", "HandoffTicket",
    "add_agent_message", "add_bot_message", "add_closing_message", "add_customer_message", "claim", "create_handoff",
    "expire_stale", "get_handoff", "get_messages", "list_handoffs",
    "hold", "open_handoff_for", "resolve", "return_unclaimed", "take_undelivered_agent_messages",
    "claim_reply", "claim_due_replies", "claim_replies_for", "settle_reply", "check_idle",
]
