"""The outcome of each conversation session, from its events, kept up to date as they are saved.

The tracker store (stores/sql_tracker_store.py) passes the events it has just saved to
`record`; one row per session (`ConversationOutcome`) adds them up, so the cost per message is
one read and one write whatever the conversation's length. A session starts with Rasa's
`session_started` event (a new one after 60 minutes of silence).

Outcomes, in this order of precedence:
- `handed_over`: the conversation went to a person (`action_handoff` ran, or a handoff of the
  conversation is open when its events are saved: the fallback's and the ownership lockout's
  handoffs are opened by other actions);
- `resolved`: the assistant answered a request (`ANSWERS`: an order status, a return created,
  a refund status, shipping options, a cancellation, an FAQ answer...);
- `not_understood`: the customer got the "didn't understand" fallback and no answer;
- `abandoned`: the customer wrote, got no answer to a request and left (greetings only, a form
  left half-way).
A session with no message from the customer has no outcome (it is not counted).

The same pass raises an alert (bot.alerts) for an abusive message (the `insult` intent) or an
angry one (the profile's angry words, or shouting), in the outcome's transaction; an angry
complaint has its complaint alert already (the handoff raised it).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Mapping, Optional

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine

from bot.alerts import messages as alert_messages
from bot.alerts import service as alerts
from bot.alerts.anger import sounds_angry
from bot.core import clock
from bot.core.db import engine_with_table, session_scope
from bot.core.models import OPEN_HANDOFF_STATUSES, ConversationOutcome, Handoff
from bot.profile.shop_profile import current_profile

logger = logging.getLogger(__name__)

HANDED_OVER, RESOLVED, NOT_UNDERSTOOD, ABANDONED = "handed_over", "resolved", "not_understood", "abandoned"
OUTCOMES = (RESOLVED, HANDED_OVER, NOT_UNDERSTOOD, ABANDONED)

#: Actions whose running means the assistant answered the customer's request.
ANSWERS = frozenset({
    "action_order_status", "action_list_other_orders", "action_return_policy", "action_refund_status",
    "action_create_return", "action_record_claim", "action_missing_package", "action_shipping_options",
    "action_delivery_estimate", "action_cancel_order", "action_change_address", "utter_faq",
})
HANDOFF_ACTION = "action_handoff"
SESSION_START_ACTION = "action_session_start"
FALLBACK_ACTIONS = frozenset({"action_default_fallback"})
#: The intent of an abusive message.
ABUSIVE_INTENT = "insult"
#: Forms count among the flows a session went through.
FORM_SUFFIX = "_form"


@dataclass
class Tally:
    """What a batch of new events adds to a session."""

    started_at: Optional[float] = None  # the session_started event's time, when in the batch
    last_at: Optional[float] = None
    channel: Optional[str] = None
    language: Optional[str] = None
    customer_messages: int = 0
    fallbacks: int = 0
    intents: List[str] = field(default_factory=list)
    flows: List[str] = field(default_factory=list)
    answered: bool = False
    handed_over: bool = False


def _add(items: List[str], value: Any) -> None:
    if isinstance(value, str) and value and value not in items:
        items.append(value)


def tally(events: Iterable[Mapping[str, Any]]) -> List[Tally]:
    """The batch cut at each session start: one Tally per session it touches, oldest first
    (the first continues the session before the batch unless the batch starts a new one)."""
    tallies = [Tally()]
    starting = False  # between action_session_start and its session_started event
    for event in events:
        kind = event.get("event")
        at = event.get("timestamp")
        if kind == "action" and event.get("name") == SESSION_START_ACTION:
            if tallies[-1] != Tally():
                tallies.append(Tally())
            starting = True
            continue
        if kind == "session_started":
            if tallies[-1] != Tally() and not starting:
                tallies.append(Tally())
            tallies[-1].started_at = at if isinstance(at, (int, float)) else None
            starting = False
        current = tallies[-1]
        if kind in ("user", "bot", "action") and isinstance(at, (int, float)) and not isinstance(at, bool):
            current.last_at = at
        if kind == "user":
            current.customer_messages += 1
            current.channel = current.channel or event.get("input_channel")
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            _add(current.intents, intent)
        elif kind == "action":
            name = event.get("name")
            if name in ANSWERS:
                current.answered = True
                _add(current.flows, name)
            elif name == HANDOFF_ACTION:
                current.handed_over = True
                _add(current.flows, name)
            elif name in FALLBACK_ACTIONS:
                current.fallbacks += 1
            elif isinstance(name, str) and name.endswith(FORM_SUFFIX):
                _add(current.flows, name)
        elif kind == "slot" and event.get("name") == "language" and isinstance(event.get("value"), str):
            current.language = event["value"]
    return tallies


def outcome_of(row: Any) -> str:
    if row.handed_over:
        return HANDED_OVER
    if row.answered:
        return RESOLVED
    if row.fallbacks:
        return NOT_UNDERSTOOD
    return ABANDONED


def _utc(timestamp: Optional[float]) -> Optional[datetime]:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).replace(tzinfo=None)


def _merge(row: ConversationOutcome, part: Tally) -> None:
    row.last_event_at = max(row.last_event_at, _utc(part.last_at) or row.last_event_at)
    row.channel = row.channel or part.channel
    row.language = part.language or row.language
    row.customer_messages = (row.customer_messages or 0) + part.customer_messages
    row.fallbacks = (row.fallbacks or 0) + part.fallbacks
    for column, values in (("intents", part.intents), ("flows", part.flows)):
        items: List[str] = json.loads(getattr(row, column) or "[]")
        for value in values:
            _add(items, value)
        setattr(row, column, json.dumps(items))
    row.answered = bool(row.answered) or part.answered
    row.handed_over = bool(row.handed_over) or part.handed_over
    row.outcome = outcome_of(row)


def record(conversation_id: str, events: Iterable[Mapping[str, Any]], engine: Optional[Engine] = None) -> None:
    """Adds newly saved events to the conversation's session rows (a new row per session start;
    a session is stored once the customer has written in it)."""
    parts = [p for p in tally(events) if p != Tally()]
    if not parts:
        return
    engine = engine or engine_with_table(_shop_url(), ConversationOutcome.__tablename__)
    with session_scope(engine) as session:
        latest = session.execute(
            select(ConversationOutcome).where(ConversationOutcome.conversation_id == conversation_id)
            .order_by(ConversationOutcome.session_started_at.desc()).limit(1)).scalar_one_or_none()
        pending: Optional[datetime] = None  # a session started, nothing from the customer yet
        for part in parts:
            started = _utc(part.started_at)
            if started is not None:
                latest, pending = None, started
            if latest is None:
                if not part.customer_messages:
                    continue
                begin = pending or _utc(part.last_at) or datetime.now(timezone.utc).replace(tzinfo=None)
                latest = session.execute(select(ConversationOutcome).where(
                    ConversationOutcome.conversation_id == conversation_id,
                    ConversationOutcome.session_started_at == begin)).scalar_one_or_none()
                if latest is None:
                    latest = ConversationOutcome(conversation_id=conversation_id, session_started_at=begin,
                                                 last_event_at=begin, intents="[]", flows="[]",
                                                 customer_messages=0, fallbacks=0, answered=False,
                                                 handed_over=False, outcome=ABANDONED)
                    session.add(latest)
            _merge(latest, part)
        if latest is not None and not latest.handed_over and _has_handoffs(engine) and session.execute(
                select(Handoff.id).where(Handoff.conversation_id == conversation_id,
                                         Handoff.status.in_(OPEN_HANDOFF_STATUSES)).limit(1)).first():
            latest.handed_over = True
            latest.outcome = outcome_of(latest)
        _alert_on_anger(session, conversation_id, events, latest.channel if latest is not None else None)


def _alert_on_anger(session, conversation_id: str, events: Iterable[Mapping[str, Any]],
                    channel: Optional[str]) -> None:
    policy = current_profile().alerts
    if not policy.angry:
        return
    for event in events:
        if event.get("event") != "user" or not isinstance(event.get("text"), str):
            continue
        text = event["text"]
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        kind = (alert_messages.ABUSIVE if intent == ABUSIVE_INTENT
                else alert_messages.ANGRY if sounds_angry(text, policy.angry_words) else None)
        now = clock.now()
        if kind is None or alerts.raised_lately(session, alert_messages.COMPLAINT, conversation_id, policy, now):
            continue  # an angry complaint has its complaint alert
        source = alerts.Source(conversation_id, channel or event.get("input_channel"))
        alerts.raise_alert(session, kind, source, alert_messages.message_text(kind, text), now,
                           details={"message": " ".join(text.split())[:1000], "intent": intent}, policy=policy)


_HANDOFF_TABLES: Dict[str, bool] = {}


def _has_handoffs(engine: Engine) -> bool:
    """Whether the shop database has its handoffs table (a bare reports database may not)."""
    key = repr(engine.url)
    if not _HANDOFF_TABLES.get(key):  # asked again until it exists
        _HANDOFF_TABLES[key] = inspect(engine).has_table(Handoff.__tablename__)
    return _HANDOFF_TABLES[key]


def _shop_url() -> str:
    from bot.core import settings

    return settings.database_url()


def record_safely(conversation_id: str, events: List[Dict[str, Any]]) -> None:
    """`record`, logging instead of raising: a report row must never cost a customer a turn."""
    try:
        record(conversation_id, events)
    except Exception:
        logger.exception("recording the outcome of conversation %s failed", conversation_id)
