"""Keep what customers said only as long as the shop profile says (`privacy.retention_days`).

`purge_expired` runs every hour in the agent desk (bot/desk/background.py) and on demand as
`python -m bot purge-expired`. Older than the retention period, counted from the last activity:

- a conversation in the tracker store (all its events), unless a handoff of it is still open;
- a closed (resolved or expired) handoff's transcript lines are deleted and the handoff is
  anonymised: no email, no summary (it quotes the customer), and a conversation id that no
  longer names the customer (a messaging app's id is their phone number or chat id). Its
  reason, channel, times, agent and order numbers stay for the shop's reports;
- an outbox row (a webhook or email payload carries the transcript), delivered or not;
- a conversation session's outcome row (bot.reports) keeps its figures for the reports, with a
  conversation id that no longer names the customer;
- an alert (bot.alerts: it quotes the customer and names the conversation) is deleted.

Orders, returns and claims are the shop's records and stay.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Set

from sqlalchemy import delete, inspect, or_, select, text, update
from sqlalchemy.engine import Engine

from bot.core.db import session_scope
from bot.core.models import OPEN_HANDOFF_STATUSES, Alert, ConversationOutcome, Handoff, OutboxMessage, Survey
from bot.core.tracker_tables import EVENTS_TABLE, delete_conversations
from bot.privacy.forget import delete_handoff_messages

#: The conversation id an anonymised handoff keeps: says what happened, names nobody.
ANONYMISED_PREFIX = "anonymised-"


@dataclass
class RetentionReport:
    cutoff: datetime
    conversations: int = 0
    events: int = 0
    handoffs: int = 0
    handoff_messages: int = 0
    outbox_rows: int = 0
    undelivered_outbox_rows: int = 0
    outcomes: int = 0
    surveys: int = 0
    alerts: int = 0

    def lines(self) -> List[str]:
        return [f"Removed what was older than {self.cutoff:%Y-%m-%d %H:%M} UTC:",
                f"  {self.conversations} conversation(s), {self.events} stored event(s)",
                f"  {self.handoffs} handoff(s) anonymised, {self.handoff_messages} transcript line(s) deleted",
                f"  {self.outbox_rows} outbox row(s), {self.undelivered_outbox_rows} of them never delivered",
                f"  {self.outcomes} conversation outcome(s) anonymised (their figures stay for the reports)",
                f"  {self.surveys} survey answer(s) anonymised (the scores stay, the comments go)",
                f"  {self.alerts} alert(s)"]

    @property
    def removed_anything(self) -> bool:
        return bool(self.conversations or self.handoffs or self.handoff_messages or self.outbox_rows
                    or self.outcomes or self.surveys or self.alerts)


def purge_expired(shop: Engine, tracker: Engine, now: datetime, retention_days: int) -> RetentionReport:
    """Delete or anonymise what is older than `retention_days` before `now` (naive UTC)."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    report = RetentionReport(cutoff=now - timedelta(days=retention_days))
    with session_scope(shop) as session:
        open_conversations = set(session.execute(
            select(Handoff.conversation_id).where(Handoff.status.in_(OPEN_HANDOFF_STATUSES))).scalars())
        closed = list(session.execute(select(Handoff.id).where(
            Handoff.status.not_in(OPEN_HANDOFF_STATUSES),
            or_(Handoff.resolved_at < report.cutoff,
                Handoff.resolved_at.is_(None) & (Handoff.updated_at < report.cutoff)),
            Handoff.conversation_id.not_like(f"{ANONYMISED_PREFIX}%"),
        )).scalars())
        if closed:
            report.handoff_messages = delete_handoff_messages(session, closed)
            for handoff_id in closed:
                session.execute(update(Handoff).where(Handoff.id == handoff_id).values(
                    conversation_id=f"{ANONYMISED_PREFIX}{handoff_id}", customer_email=None, summary=""))
            report.handoffs = len(closed)
        old_outbox = OutboxMessage.created_at < report.cutoff
        report.undelivered_outbox_rows = len(session.execute(select(OutboxMessage.id).where(
            old_outbox, OutboxMessage.delivered_at.is_(None))).all())
        report.outbox_rows = session.execute(delete(OutboxMessage).where(old_outbox)).rowcount
        if inspect(session.connection()).has_table(ConversationOutcome.__tablename__):
            old = list(session.execute(select(ConversationOutcome.id).where(
                ConversationOutcome.last_event_at < report.cutoff,
                ConversationOutcome.conversation_id.not_like(f"{ANONYMISED_PREFIX}%"))).scalars())
            for outcome_id in old:
                session.execute(update(ConversationOutcome).where(ConversationOutcome.id == outcome_id).values(
                    conversation_id=f"{ANONYMISED_PREFIX}outcome-{outcome_id}"))
            report.outcomes = len(old)
        if inspect(session.connection()).has_table(Survey.__tablename__):
            old = list(session.execute(select(Survey.id).where(
                Survey.updated_at < report.cutoff, Survey.conversation_id.not_like(f"{ANONYMISED_PREFIX}%"))).scalars())
            for survey_id in old:  # the scores stay for the reports; the customer's words go
                session.execute(update(Survey).where(Survey.id == survey_id).values(
                    conversation_id=f"{ANONYMISED_PREFIX}survey-{survey_id}", comment=None, step=None))
            report.surveys = len(old)
        if inspect(session.connection()).has_table(Alert.__tablename__):
            report.alerts = session.execute(delete(Alert).where(Alert.raised_at < report.cutoff)).rowcount
    _purge_conversations(tracker, report, open_conversations)
    return report


def _unix(moment: datetime) -> float:
    return moment.replace(tzinfo=timezone.utc).timestamp()


def _purge_conversations(tracker: Engine, report: RetentionReport, keep: Set[str]) -> None:
    if not inspect(tracker).has_table(EVENTS_TABLE):
        return  # no conversation stored yet
    with tracker.begin() as conn:
        senders = [row[0] for row in conn.execute(text(
            f"SELECT sender_id FROM {EVENTS_TABLE} GROUP BY sender_id HAVING max(timestamp) < :cutoff"),
            {"cutoff": _unix(report.cutoff)}) if row[0] not in keep]
        report.events += delete_conversations(conn, senders)
        report.conversations = len(senders)
