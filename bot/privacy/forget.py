"""`python -m bot forget-customer EMAIL`: erase what the assistant kept about one customer.

Removed: every conversation in the tracker store that mentions the email, that verified one of
the customer's orders (its `verified_customer_id`; an email given as proof is stored masked, see
`stored_events`), or that was handed to a person for them;
those handoffs with their transcripts; the outbox rows about them (webhook and email
payloads with the transcript); the outcome rows and survey answers of those conversations
(bot.reports); the alerts about the customer or those conversations, with their outbox rows.
Kept: the customer, the orders and what happened to them (returns, claims): the shop's own
records. Failed proofs hold no personal data (hashed clients, order numbers). Events already
sent to an event broker (RabbitMQ) are the receiving system's to erase.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import List, Set, Tuple

from sqlalchemy import delete, inspect, or_, select, text
from sqlalchemy.engine import Engine

from bot.core.db import session_scope
from bot.core.models import (
    Alert,
    ConversationOutcome,
    Customer,
    Handoff,
    HandoffMessage,
    OutboxMessage,
    ReplyDelivery,
    Survey,
)
from bot.core.tracker_tables import EVENTS_TABLE, delete_conversations


@dataclass
class ForgetReport:
    email: str
    customer_found: bool
    conversations: List[str] = field(default_factory=list)
    events: int = 0
    handoffs: int = 0
    handoff_messages: int = 0
    outbox_rows: int = 0
    alerts: int = 0

    def lines(self) -> List[str]:
        who = self.email if self.customer_found else f"{self.email} (not a customer of the shop)"
        return [f"Forgot {who}:",
                f"  {len(self.conversations)} conversation(s), {self.events} stored event(s)",
                f"  {self.handoffs} handoff(s) with {self.handoff_messages} transcript line(s)",
                f"  {self.outbox_rows} outbox row(s) (webhook and email payloads)",
                f"  {self.alerts} alert(s)",
                "  kept: the customer's orders, returns and claims (the shop's records)"]


def forget_customer(email: str, shop: Engine, tracker: Engine) -> ForgetReport:
    """Erase the customer's conversations, handoffs and outbox rows; report what went."""
    email = email.strip().lower()
    if "@" not in email:
        raise ValueError(f"not an email address: {email!r}")
    with session_scope(shop) as session:
        customer = session.execute(select(Customer).where(Customer.email == email)).scalar_one_or_none()
        customer_id = customer.id if customer else None
        report = ForgetReport(email, customer is not None)
        conditions = [Handoff.customer_email == email]
        if customer_id is not None:
            conditions.append(Handoff.customer_id == customer_id)
        handoffs = session.execute(select(Handoff.id, Handoff.conversation_id).where(or_(*conditions))).all()
    conversations: Set[str] = {conversation for _, conversation in handoffs}
    conversations |= _conversations_mentioning(tracker, email, customer_id)
    handoff_ids = [hid for hid, _ in handoffs]
    with session_scope(shop) as session:
        # Handoffs of those conversations too, whoever they were opened for (a shared device).
        if conversations:
            handoff_ids = sorted(set(handoff_ids) | set(session.execute(select(Handoff.id).where(
                Handoff.conversation_id.in_(conversations))).scalars()))
        if handoff_ids:
            report.outbox_rows = session.execute(
                delete(OutboxMessage).where(OutboxMessage.handoff_id.in_(handoff_ids))).rowcount
            report.handoff_messages = delete_handoff_messages(session, handoff_ids)
            report.handoffs = session.execute(delete(Handoff).where(Handoff.id.in_(handoff_ids))).rowcount
        if conversations and inspect(session.connection()).has_table(ConversationOutcome.__tablename__):
            # the sessions' outcome rows name the conversation (a messaging id can be a phone number)
            session.execute(delete(ConversationOutcome).where(ConversationOutcome.conversation_id.in_(conversations)))
        if conversations and inspect(session.connection()).has_table(Survey.__tablename__):
            session.execute(delete(Survey).where(Survey.conversation_id.in_(conversations)))  # comments too
        if inspect(session.connection()).has_table(Alert.__tablename__):
            report.alerts, alert_rows = _delete_alerts(session, email, conversations)
            report.outbox_rows += alert_rows
    report.conversations = sorted(conversations)
    report.events = _delete_conversations(tracker, report.conversations)
    return report


def _delete_alerts(session, email: str, conversations: Set[str]) -> Tuple[int, int]:
    """The customer's alerts (they quote the customer) and their webhook and email rows, which
    name the conversation or the email."""
    condition = Alert.customer_email == email
    if conversations:
        condition = or_(condition, Alert.conversation_id.in_(conversations))
    gone = session.execute(delete(Alert).where(condition).execution_options(synchronize_session=False)).rowcount
    rows = 0
    for named in sorted(conversations | {email}):
        rows += session.execute(delete(OutboxMessage).where(
            OutboxMessage.payload.like(_like_pattern(json.dumps(named)[1:-1]), escape="\\"))
            .execution_options(synchronize_session=False)).rowcount
    return gone, rows


def delete_handoff_messages(session, handoff_ids: List[int]) -> int:
    """Delete the handoffs' messages, with how their delivery went; how many messages."""
    messages = select(HandoffMessage.id).where(HandoffMessage.handoff_id.in_(handoff_ids))
    if inspect(session.connection()).has_table(ReplyDelivery.__tablename__):  # an older database
        session.execute(delete(ReplyDelivery).where(ReplyDelivery.message_id.in_(messages))
                        .execution_options(synchronize_session=False))
    return session.execute(delete(HandoffMessage).where(HandoffMessage.handoff_id.in_(handoff_ids))
                           .execution_options(synchronize_session=False)).rowcount


def _like_pattern(text_part: str) -> str:
    """A LIKE pattern matching `text_part` literally: in an email, "_" and "%" are LIKE
    wildcards, and "a_b@x.com" must not match (and erase) "acb@x.com"."""
    escaped = text_part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conversations_mentioning(tracker: Engine, email: str, customer_id: object) -> Set[str]:
    """Conversations whose stored events hold the email, or verified this customer."""
    if not inspect(tracker).has_table(EVENTS_TABLE):
        return set()  # no conversation stored yet
    with tracker.connect() as conn:
        rows = conn.execute(text(f"SELECT DISTINCT sender_id FROM {EVENTS_TABLE} "
                                 "WHERE lower(data) LIKE :pattern ESCAPE '\\'"),
                            {"pattern": _like_pattern(email)}).all()
        found = {row[0] for row in rows}
        if customer_id is not None:
            rows = conn.execute(text(f"SELECT sender_id, data FROM {EVENTS_TABLE} WHERE type_name = 'slot' "
                                     "AND data LIKE :pattern"), {"pattern": "%verified_customer_id%"}).all()
            for sender, data in rows:
                try:
                    event = json.loads(data)
                except ValueError:
                    continue
                if event.get("name") == "verified_customer_id" and str(event.get("value")) == str(customer_id):
                    found.add(sender)
    return found


def _delete_conversations(tracker: Engine, conversations: List[str]) -> int:
    """Delete every event (and the window) of these conversations, all or nothing (an error is
    raised, never reported as fewer events)."""
    if not conversations or not inspect(tracker).has_table(EVENTS_TABLE):
        return 0
    with tracker.begin() as conn:
        return delete_conversations(conn, conversations)
