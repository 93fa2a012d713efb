"""Raising, listing and acknowledging alerts.

`raise_alert` writes in the caller's session, so an alert commits or rolls back with what caused
it (the handoff, the survey answer, the saved message); it is quiet when the profile turns the
kind off, or when the conversation had an alert of that kind within `quiet_minutes`. An alert
with a `problem` (what may have one cause: "late_parcel:UPS") also counts the customers who
reported the same problem within `repeated_within_minutes`; reaching `repeated_customers`
raises one `repeated_problem` alert for the window. The other functions open their own sessions.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional

from sqlalchemy import func, inspect, select, update
from sqlalchemy.orm import Session

from bot.alerts import messages
from bot.core import settings
from bot.core.db import engine_with_table, session_scope
from bot.core.models import Alert
from bot.profile.alert_policy import AlertPolicy
from bot.profile.shop_profile import current_profile

OPEN, ALL = "open", "all"
LIST_LIMIT = 200


@dataclass(frozen=True)
class Source:
    """Where an alert comes from: the conversation (its id and channel) and what is known of it."""

    conversation_id: Optional[str]
    channel: Optional[str] = None
    handoff_id: Optional[int] = None
    customer_email: Optional[str] = None
    order_number: Optional[str] = None


def _enabled(kind: str, policy: AlertPolicy) -> bool:
    if kind == messages.COMPLAINT:
        return policy.complaint
    if kind in (messages.ANGRY, messages.ABUSIVE):
        return policy.angry
    if kind == messages.LOW_CSAT:
        return policy.low_csat_at_most > 0
    if kind == messages.LATE_PARCEL:
        return policy.parcel_state_alerts("late")
    if kind == messages.LOST_PARCEL:
        return policy.parcel_state_alerts("lost")
    return True


def raised_lately(session: Session, kind: str, conversation_id: Optional[str], policy: AlertPolicy,
                  now: datetime) -> bool:
    """Whether the conversation had an alert of `kind` within the profile's quiet minutes."""
    _ensure_table(session)
    since = now - timedelta(minutes=policy.quiet_minutes)
    return _recent(session, kind, conversation_id, since)


def _recent(session: Session, kind: str, conversation_id: Optional[str], since: datetime) -> bool:
    if conversation_id is None:
        return False
    found = session.execute(select(Alert.id).where(
        Alert.conversation_id == conversation_id, Alert.kind == kind, Alert.raised_at >= since).limit(1)).first()
    return found is not None


_TABLE_READY: Dict[str, bool] = {}


def _ensure_table(session: Session) -> None:
    """A shop database made by an older version gets the table, in the caller's transaction."""
    connection = session.connection()
    key = repr(connection.engine.url)
    if not _TABLE_READY.get(key):
        if not inspect(connection).has_table(Alert.__tablename__):
            Alert.__table__.create(connection, checkfirst=True)
        _TABLE_READY[key] = True


def _scope():
    return session_scope(engine_with_table(settings.database_url(), Alert.__tablename__))


def raise_alert(session: Session, kind: str, source: Source, text: str, now: datetime, *,
                problem: Optional[str] = None, details: Optional[Dict[str, Any]] = None,
                policy: Optional[AlertPolicy] = None) -> Optional[Alert]:
    """Add an alert in the caller's session (None when the profile turns it off or it repeats)."""
    policy = policy or current_profile().alerts
    if not _enabled(kind, policy) or raised_lately(session, kind, source.conversation_id, policy, now):
        return None
    alert = Alert(kind=kind, conversation_id=source.conversation_id, channel=(source.channel or None),
                  handoff_id=source.handoff_id, customer_email=source.customer_email,
                  order_number=source.order_number, problem=(problem or None) and problem[:128],
                  text=text, details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
                  raised_at=now)
    session.add(alert)
    session.flush()
    if problem:
        _check_repeated(session, problem, source, now, policy)
    return alert


def _check_repeated(session: Session, problem: str, source: Source, now: datetime, policy: AlertPolicy) -> None:
    since = now - timedelta(minutes=policy.repeated_within_minutes)
    reports = session.execute(select(Alert.customer_email, Alert.conversation_id).where(
        Alert.problem == problem, Alert.kind != messages.REPEATED_PROBLEM, Alert.raised_at >= since)).all()
    customers = {email or conversation for email, conversation in reports} - {None}
    if len(customers) < policy.repeated_customers:
        return
    already = session.execute(select(Alert.id).where(
        Alert.problem == problem, Alert.kind == messages.REPEATED_PROBLEM, Alert.raised_at >= since).limit(1)).first()
    if already:
        return
    conversations = sorted({c for _, c in reports if c})
    session.add(Alert(kind=messages.REPEATED_PROBLEM, conversation_id=source.conversation_id,
                      channel=source.channel, problem=problem[:128],
                      text=messages.repeated_text(problem, len(customers), policy.repeated_within_minutes),
                      details=json.dumps({"customers": len(customers), "conversations": conversations}),
                      raised_at=now))
    session.flush()


def as_dict(alert: Alert) -> Dict[str, Any]:
    return {
        "id": alert.id, "kind": alert.kind, "label": messages.label(alert.kind), "text": alert.text,
        "conversation_id": alert.conversation_id, "channel": alert.channel, "handoff_id": alert.handoff_id,
        "customer_email": alert.customer_email, "order_number": alert.order_number, "problem": alert.problem,
        "details": json.loads(alert.details or "{}"), "raised_at": alert.raised_at,
        "acknowledged_at": alert.acknowledged_at, "acknowledged_by": alert.acknowledged_by,
        "desk_path": desk_path(alert.id),
    }


def desk_path(alert_id: int) -> str:
    return f"/alerts/{alert_id}"


def list_alerts(status: str = OPEN, limit: int = LIST_LIMIT) -> List[Dict[str, Any]]:
    """The newest alerts first: those nobody acknowledged yet (`open`), or all."""
    query = select(Alert).order_by(Alert.raised_at.desc(), Alert.id.desc()).limit(limit)
    if status == OPEN:
        query = query.where(Alert.acknowledged_at.is_(None))
    with _scope() as session:
        return [as_dict(a) for a in session.execute(query).scalars()]


def get_alert(alert_id: int) -> Optional[Dict[str, Any]]:
    with _scope() as session:
        alert = session.get(Alert, alert_id)
        return as_dict(alert) if alert else None


def open_count() -> int:
    with _scope() as session:
        return session.execute(select(func.count(Alert.id)).where(Alert.acknowledged_at.is_(None))).scalar_one()


def acknowledge(alert_id: int, agent: str, now: datetime) -> Optional[Dict[str, Any]]:
    """Mark the alert seen by `agent` (the first acknowledgement stays); None when unknown."""
    with _scope() as session:
        session.execute(update(Alert).where(Alert.id == alert_id, Alert.acknowledged_at.is_(None))
                        .values(acknowledged_at=now, acknowledged_by=agent[:64]))
        alert = session.get(Alert, alert_id)
        return as_dict(alert) if alert else None
